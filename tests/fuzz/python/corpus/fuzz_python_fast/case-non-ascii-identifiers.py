café = 1; import os
été = 2
from école import cours
