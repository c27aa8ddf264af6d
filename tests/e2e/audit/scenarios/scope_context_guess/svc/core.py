def make(f):
    return f.Flask("svc")
