def f():
    yield
    x = yield __import__('a')
    yield from b
    y = (yield)
