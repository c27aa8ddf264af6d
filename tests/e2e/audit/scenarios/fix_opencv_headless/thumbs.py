import cv2
import numpy as np

print(cv2.resize(np.zeros((8, 8)), (4, 4)).shape)
