x = *a(), b
