x = f'{__import__("a")}'
y = f'{importlib.import_module(n)}'
