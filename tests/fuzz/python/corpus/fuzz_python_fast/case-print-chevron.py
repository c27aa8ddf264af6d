import sys
print >>sys.stderr, __import__('x')
