__import__('\x4')
