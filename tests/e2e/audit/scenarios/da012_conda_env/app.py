import requests
import yaml

print(requests.get, yaml.safe_load)
