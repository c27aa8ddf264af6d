@decorate(__import__('a'))
@other.thing
def f():
    import b
@dataclass
class C:
    import c
@x[0].y(1)
async def g(): pass
