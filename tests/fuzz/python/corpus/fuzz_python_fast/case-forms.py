import a.b.c
import a.b as x, d
from e.f import g, h
from i import (j as k,)
from . import l
from ..pkg.mod import m
from __future__ import annotations
from n import *
