import requests
import textstat

text = requests.get("http://docs/readme", timeout=5).text
print(textstat.flesch_reading_ease(text))
