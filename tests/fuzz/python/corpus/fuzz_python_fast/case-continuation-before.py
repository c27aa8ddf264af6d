__import__(\
'a')
__import__(  # c
 'b')
