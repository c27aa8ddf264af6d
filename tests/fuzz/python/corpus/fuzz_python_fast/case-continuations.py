import os, \
    sys
from a.b \
  import (c,
    d)
