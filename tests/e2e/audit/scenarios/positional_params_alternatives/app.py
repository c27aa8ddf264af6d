import flask
import numpy
import yaml

app = flask.Flask(__name__)
print(numpy.__version__, yaml.__version__)
