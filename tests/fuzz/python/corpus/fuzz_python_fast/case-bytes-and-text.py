a = b'x' 'y'
