from __future__.x import y
