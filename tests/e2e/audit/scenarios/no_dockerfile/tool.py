import asynchat

import yaml

print(yaml, asynchat)
