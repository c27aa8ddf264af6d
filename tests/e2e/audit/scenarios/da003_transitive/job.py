import requests
import urllib3

urllib3.disable_warnings()
print(requests.get("https://localhost:8443/", verify=False, timeout=5).status_code)
