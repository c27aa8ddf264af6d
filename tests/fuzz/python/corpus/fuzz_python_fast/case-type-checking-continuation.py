if (TYPE_CHECKING \
):
    import a
