if TYPE_CHECKING:
    import a
else:
    import b
if typing.TYPE_CHECKING:
    import c
if not TYPE_CHECKING:
    import d
else:
    import e
if (TYPE_CHECKING):
    import f
if TYPE_CHECKING:
    try:
        import g
    except ImportError:
        import h
