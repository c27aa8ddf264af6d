def f():
    global a, b
    del a, b[0], c.d
