if x:
  	import mixed
