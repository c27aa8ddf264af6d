from mylib import import_module
import_module('x')
