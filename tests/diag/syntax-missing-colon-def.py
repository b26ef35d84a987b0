def worker(n)
    return n * n
