def f():
    import a
    class K:
        import b
class C:
    import c
    def m(self):
        import d
    x = lambda: __import__('e')
