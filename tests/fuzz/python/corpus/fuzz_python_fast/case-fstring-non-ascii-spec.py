a = f'{x:é>10}'
import after
