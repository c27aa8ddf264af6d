import flask

from app.views import index

flask.Flask(__name__).route("/")(index)
