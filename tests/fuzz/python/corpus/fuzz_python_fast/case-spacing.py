importlib .import_module('a')
importlib. import_module('b')
(importlib).import_module('c')
x.importlib.import_module('d')
