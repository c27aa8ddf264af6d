match a, *b:
    case (x, *y): pass
match -x:
    case 1: pass
