def f():
    x = a[
0]
    import c
