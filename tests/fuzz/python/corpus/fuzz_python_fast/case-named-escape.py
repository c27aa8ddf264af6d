a = '\N{EM DASH}'
b = '\N{' + '}'
