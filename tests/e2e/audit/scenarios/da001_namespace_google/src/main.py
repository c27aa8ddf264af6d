from google.protobuf import json_format
from google.cloud import storage

print(json_format, storage.Client)
