x += __import__('a')
y.z |= 1
