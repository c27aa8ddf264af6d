try:
    try:
        import a
    except ImportError:
        import b
    import c
except ImportError:
    try:
        import d
    except KeyError:
        import e
