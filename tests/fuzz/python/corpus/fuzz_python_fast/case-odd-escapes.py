__import__('a\qb')
__import__('a\8')
__import__('a\N{DASH}b')
