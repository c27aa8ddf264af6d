match command:
    case 'json':
        import json
    case ['yaml', *rest] if __import__('g'):
        from yaml import safe_load
    case {'k': v, **kw} | Point(x=0, y=_) as p:
        pass
    case -1 | 1+2j | None | a.b:
        pass
    case _:
        import pickle
match = 3
match(x)
match[1] = 2
import after
