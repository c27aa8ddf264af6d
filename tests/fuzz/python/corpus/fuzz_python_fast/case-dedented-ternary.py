def f():
    x = (a if b
else c)
