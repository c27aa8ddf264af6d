import json
import sys

import click
import requests


@click.command()
@click.argument("url")
def main(url):
    json.dump(requests.get(url, timeout=5).json(), sys.stdout)


main()
