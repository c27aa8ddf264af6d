a = r'x' + R'x' + u'x' + U'x' + b'x' + B'x' + br'x' + Rb'x' + f'x' + rf'x' + FR'x'
import after
