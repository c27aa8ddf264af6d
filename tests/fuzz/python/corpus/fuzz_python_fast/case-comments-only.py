# one
   # two

