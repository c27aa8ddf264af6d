try:
    import a
except *ImportError as e:
    import b
