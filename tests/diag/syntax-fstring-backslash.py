x = f"{'\n'.join(['a', 'b'])}"
