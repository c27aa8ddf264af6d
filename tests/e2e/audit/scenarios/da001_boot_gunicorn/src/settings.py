import os

import yaml


def load():
    with open(os.environ.get("SETTINGS", "settings.yaml")) as f:
        return yaml.safe_load(f)
