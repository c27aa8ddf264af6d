import flask

from svc.core import make

make(flask)
