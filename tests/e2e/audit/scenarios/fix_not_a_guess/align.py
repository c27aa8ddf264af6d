import numpy as np
from dtw import dtw

print(dtw(np.arange(3), np.arange(3)).distance)
