def f():
    x = (a +
b)
    import c
