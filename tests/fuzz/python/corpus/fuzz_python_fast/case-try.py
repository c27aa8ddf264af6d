try:
    import a
except ImportError:
    import b
else:
    import c
finally:
    import d
