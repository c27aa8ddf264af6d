import aiojobs
import fastmcp
import requests

scheduler = aiojobs.Scheduler
server = fastmcp.FastMCP("jobs")
session = requests.Session()
