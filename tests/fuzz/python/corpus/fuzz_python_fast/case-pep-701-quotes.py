a = f"{x["k"]}"
b = f'{"a" if c else "b"}'
import after
