from generated.schema import SCHEMA

print(SCHEMA)
