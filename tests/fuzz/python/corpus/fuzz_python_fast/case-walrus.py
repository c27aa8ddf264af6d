if (n := __import__('a')):
    pass
while m := f():
    pass
