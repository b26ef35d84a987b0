pool = [1, 2,
        3)
