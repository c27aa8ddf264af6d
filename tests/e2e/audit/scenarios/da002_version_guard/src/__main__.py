import sys

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

if sys.platform == "win32":
    import winreg

with open("config.toml", "rb") as f:
    print(tomllib.load(f))
