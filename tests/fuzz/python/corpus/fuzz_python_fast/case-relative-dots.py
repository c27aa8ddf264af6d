from ... import a
from .... b import c
from . . x import y
