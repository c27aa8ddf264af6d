import configparser

from flask import Flask

app = Flask(__name__)
config = configparser.ConfigParser()

if __name__ == "__main__":
    app.run()
