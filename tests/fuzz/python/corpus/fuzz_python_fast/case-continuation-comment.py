x = 1 \
    # comment
import a
