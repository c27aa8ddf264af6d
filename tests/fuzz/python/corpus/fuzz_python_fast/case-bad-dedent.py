if x:
    import a
  import b
