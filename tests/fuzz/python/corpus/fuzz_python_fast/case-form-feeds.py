import a

import b
def f():
    import c
