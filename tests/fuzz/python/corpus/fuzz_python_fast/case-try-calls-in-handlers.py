try:
    pass
except __import__('x').E:
    pass
except (ImportError, __import__('y').F):
    pass
