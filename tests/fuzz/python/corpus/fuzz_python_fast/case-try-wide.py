try:
    import a
except (ValueError, builtins.ImportError) as e:
    import b
try:
    import c
except:
    import d
try:
    import e
except KeyError:
    import f
except Exception:
    import g
