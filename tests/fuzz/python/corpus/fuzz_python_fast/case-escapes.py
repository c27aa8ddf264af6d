a = 'x\'y\\'
b = "\
"
import after
