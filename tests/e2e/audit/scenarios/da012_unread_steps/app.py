import redis
import yaml
from flask import Flask

app = Flask(__name__)
cache = redis.Redis()
settings = yaml.safe_load("debug: false")
