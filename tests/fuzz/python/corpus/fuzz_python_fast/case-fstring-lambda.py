a = f'{lambda x: 1}'
