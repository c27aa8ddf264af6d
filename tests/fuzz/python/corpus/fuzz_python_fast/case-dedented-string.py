def f():
    x = (
'abc')
    import c
