async def f():
    await importlib.import_module('a')
