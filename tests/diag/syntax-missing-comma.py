args = (1, 2
        3)
