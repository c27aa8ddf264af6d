if x:
	import tabbed
	if y:
		from a import b
