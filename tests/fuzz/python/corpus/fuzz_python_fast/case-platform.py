if os.name == 'nt' or platform.system() == 'x':
    import a
