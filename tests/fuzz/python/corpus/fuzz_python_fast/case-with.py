with a as b, c:
    import d
with (e as f, g):
    import h
with (i, j) as k:
    import l
with (m):
    pass
async def z():
    async with n as o:
        import p
