if sys.version_info >= (3, 8):
    import a
elif sys.platform == 'win32':
    import b
elif x:
    import c
elif __import__('d'):
    import e
else:
    import f
