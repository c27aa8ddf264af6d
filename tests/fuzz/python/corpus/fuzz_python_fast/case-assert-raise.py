assert x, 'm'
raise E from __import__('c')
raise
