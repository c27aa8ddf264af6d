a = ur'x'
