f = lambda x=__import__('a'): __import__('b')
def g(x=__import__('c'), *a, k: int = 1, **kw) -> __import__('d'):
    pass
def h(a, /, b, *, c): pass
