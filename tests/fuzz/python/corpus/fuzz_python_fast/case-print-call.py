print(__import__('x'))
print (1), 2
