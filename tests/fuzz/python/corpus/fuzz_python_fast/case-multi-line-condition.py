if (sys.version_info
        >= (3,  8)  # comment
):
    import a
else:
    import b
