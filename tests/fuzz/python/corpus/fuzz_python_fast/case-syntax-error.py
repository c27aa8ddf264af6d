import good1
def broken(:
    pass
import good2
