from dataclasses import dataclass
from typing import Optional

import requests


@dataclass
class Probe:
    url: str
    timeout: Optional[float] = 5.0


print(requests.get(Probe("http://localhost").url, timeout=5))
