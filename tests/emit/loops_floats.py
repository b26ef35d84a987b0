# range() loops become counted C loops; floats are doubles.
def mean(n):
    total = 0.0
    for i in range(1, n + 1):
        total += i / 2
    return total / n


print(mean(10))
