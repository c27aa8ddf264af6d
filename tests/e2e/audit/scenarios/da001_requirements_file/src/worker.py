import click
import requests
from dateutil import parser as dateparser


@click.command()
@click.argument("url")
def main(url):
    body = requests.get(url, timeout=10).json()
    print(dateparser.isoparse(body["updated"]))


if __name__ == "__main__":
    main()
