def f(*args: *Ts, **kw: int): pass
def g(*a: *tuple[int, str]): pass
