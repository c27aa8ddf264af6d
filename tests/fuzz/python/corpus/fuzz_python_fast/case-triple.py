a = '''x
'y'
''
'''
b = """"x"""
import after
