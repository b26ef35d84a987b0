# Operators on big ints: literals, powers, shifts and bit operations, //, % and divmod
# with negative operands, the int64 edges, hex/format, int(text).
# --- p09_powers
print(2**100, 10**20, -2**63, 2**63)
x = 3
y = x ** 50
print(y, y % 1000007, y // 10**10)
print(pow(3, 200, 10**9 + 7), pow(2, 100), pow(7, -1, 13))
print(int('9' * 30) + 1, int('-' + '8' * 25))
big = 1 << 70
print(big, big >> 3, big | 1, big & (big - 1), big ^ 5, ~big)
print(hex(2**80), oct(2**70), bin(2**65))
print(format(2**70, ','), format(2**70, 'x'), f"{2**70:_}", f"{10**25:e}")
# --- p10_divmod
a = 10**30 + 7
b = -(10**15 + 3)
print(a // b, a % b, divmod(a, b), divmod(-a, 97))
print(-7 // 2, -7 % 2, 7 // -2, divmod(-7, 2))
n = 2**64
print(n // 3, n % 3, (n - 1) // 2, -(n) // 7)
m = 9223372036854775807
print(m + 1, m * 2, -m - 2, abs(-m - 1), -(-m - 1))
# --- p17_negative
n = -1
for i in range(80):
    n = n * 3
print(n, n % 7, n // 7, -n % 7)
vals = [-(10**19), -2**63 - 1, -2**63]
for v in vals:
    print(v, v - 1, v * v, abs(v), -v, v >> 2, v << 2)
# --- p22_bitops
x = 0
for i in range(0, 100, 7):
    x |= 1 << i
print(x, bin(x).count('1'), x.bit_length())
mask = (1 << 64) - 1
v = 0xDEADBEEFCAFEBABE
for _ in range(5):
    v = (v * 6364136223846793005 + 1442695040888963407) & mask
    print(v)
y = 1
for i in range(70):
    y <<= 1
print(y, y >> 65, y.bit_length())
# --- p24_str_int
s = '123456789' * 4
n = int(s)
print(n, n + 1, str(n * n)[:20], len(str(n ** 3)))
print(int('ff' * 10, 16), int('0x' + 'f' * 20, 16), int('1' * 70, 2))
print(repr(10**20), str(-10**20), '%d' % 10**20, '%x' % 2**70, '{:>30}'.format(2**64))
print(f"{2**64:,}", f"{-2**64:+d}", f"{2**100:.3e}", f"{10**20:020d}")
print(hash(2**61 - 2) == 2**61 - 2, (2**64).to_bytes(9, 'big'))
