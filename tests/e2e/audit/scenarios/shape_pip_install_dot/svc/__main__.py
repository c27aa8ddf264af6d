import click
import requests
from jinja2 import Template


@click.command()
def main():
    print(Template("{{ code }}").render(code=requests.get("http://x/", timeout=3).status_code))


main()
