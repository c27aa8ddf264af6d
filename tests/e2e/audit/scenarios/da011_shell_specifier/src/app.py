import click
import flask
import requests
import yaml


@click.command()
def main():
    app = flask.Flask(__name__)
    print(app, requests.__version__, yaml.__version__)


if __name__ == "__main__":
    main()
