__import__('a', __import__('b'))
f(__import__('c'))(__import__('d'))
