import requests

print(requests.get("https://example.org", timeout=10).status_code)
