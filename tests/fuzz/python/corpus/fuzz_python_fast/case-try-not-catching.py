try:
    import a
except KeyError:
    import b
