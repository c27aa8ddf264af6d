a = 'x
import b
