if x:
import a
