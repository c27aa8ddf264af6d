if (TYPE_CHECKING  # c
):
    import a
