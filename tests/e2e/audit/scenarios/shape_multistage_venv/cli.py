import click
import requests
import yaml


@click.command()
def main():
    print(yaml.safe_dump(requests.get("http://localhost/", timeout=5).json()))


main()
