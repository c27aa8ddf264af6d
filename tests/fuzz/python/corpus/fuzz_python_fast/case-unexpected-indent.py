  import a
