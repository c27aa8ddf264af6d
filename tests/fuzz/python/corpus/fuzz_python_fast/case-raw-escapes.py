a = r'\''
b = r'\\'
import after
