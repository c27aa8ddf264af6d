import flask

from app.views import index
from lib.util import slug

flask.Flask(__name__).route("/")(index)
print(slug("x"))
