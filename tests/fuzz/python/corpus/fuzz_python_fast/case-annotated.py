x: int = 1
(y): str
z.a: int
w[0]: int = __import__('q')
