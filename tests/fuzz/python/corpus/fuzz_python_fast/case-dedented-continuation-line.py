def f():
    x = foo(a,
b)
    import c
