a, *b = c
[*d, e] = f
return *g, h
for *i, j in k: pass
