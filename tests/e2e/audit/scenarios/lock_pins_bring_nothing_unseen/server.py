import fastmcp
import requests

server = fastmcp.FastMCP("jobs")
session = requests.Session()
