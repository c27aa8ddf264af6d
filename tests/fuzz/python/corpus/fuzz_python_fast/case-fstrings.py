a = f'{x!r:>{width}} {y=} {z = !s:.2f} {{lit}} {d["k"]}'
b = f"{f'{x}'}" + f'{a:%Y-%m-%d}' + f'{a,b}' + f'{x:}'
import after
