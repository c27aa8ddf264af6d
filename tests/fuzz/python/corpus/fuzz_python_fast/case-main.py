if __name__ == '__main__':
    import a
else:
    import b
