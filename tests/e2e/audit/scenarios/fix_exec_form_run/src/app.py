import yaml
import flask
