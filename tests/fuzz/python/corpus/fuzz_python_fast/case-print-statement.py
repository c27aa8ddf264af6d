import a
print 'x'
