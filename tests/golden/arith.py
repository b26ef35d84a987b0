# Arithmetic with Python's semantics: floor division, modulo, powers, big ints.
for a in (7, -7):
    for b in (2, -2):
        print(a, b, a // b, a % b, divmod(a, b), a / b)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7 % -2.5, divmod(-7.5, 2))
print(2 ** 10, 2 ** 100, (-2) ** 63, 2 ** -1, 10 ** -2, 0 ** 0, 2.0 ** 0.5, (-8) ** 2)
print(1 / 3, 2 / 2, 10 / 4, -1 / 3, 1e308 * 10, -1e308 * 10)
print(0.1 + 0.2, 0.1 * 3, 1.1 + 2.2, 3 * 1.1, 100 * 1.1, 0.7 + 0.1)
print(9007199254740993, 9007199254740993 + 0.0, float(2**53 + 1), 2**53 + 1 == 2.0**53)
print(round(2.5), round(3.5), round(-2.5), round(2.675, 2), round(1234, -2), round(0.5), round(1.5))
print(abs(-3), abs(-3.5), abs(3), max(3, 7, 1), min(3, 7, 1), max([4, 2, 9]), sum([1, 2, 3]), sum([0.1] * 10))
print(7 & 3, 7 | 8, 7 ^ 2, ~7, 1 << 10, 1 << 100, -16 >> 2, 255 >> 4)
print(True + True, True * 10, False - 1, 3 > 2 > 1, 1 < 2 > 3, 1 == 1.0, 2 != 2)
fact = 1
for i in range(1, 31):
    fact *= i
print(fact)


def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


print(factorial(25), factorial(5))
big = 10 ** 30
print(big // 7, big % 7, -big // 7, big * big, big - big, big + 1)
print(int('123456789012345678901234567890') * 2, len(str(2 ** 1000)))
n = 0
for k in range(100000):
    n += k * k
print(n)
x = 5
x += 3
x -= 1
x *= 2
x //= 3
x %= 4
print(x)
f = 1.5
f += 1
f *= 2
f /= 4
print(f)
print(int(7.0), float(3), 7 // 2.0, 2 * 3.0, 10 - 0.5)
