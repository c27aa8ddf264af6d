import os
from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "requirements.txt")) as f:
    REQUIREMENTS = f.read().splitlines()

EXTRAS = {
    "redis": ["redis>=5"],
    "all": ["redis>=5", "hiredis"],
}

setup(
    name="legacy-app",
    version="1.0",
    packages=find_packages("src"),
    package_dir={"": "src"},
    install_requires=REQUIREMENTS + ["click>=8"],
    extras_require=EXTRAS,
)
