import_module('a')
from importlib import import_module as im
