__import__('a' for x in y)
__import__('b' async for x in y)
