import sys

import numpy  # depaudit: ignore[DA001]

print(numpy.zeros(3), sys.argv)
