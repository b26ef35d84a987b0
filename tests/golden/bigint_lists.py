# Ints that outgrow 64 bits through list elements: fib and factorial tables,
# products kept in a list, Pascal-style grids, a matrix power.
# --- p01_fib_list
fib = [0, 1]
for i in range(100):
    fib.append(fib[-1] + fib[-2])
print(fib[-1], len(fib))
print(fib[90:93])
# --- p02_dp_fact
n = 30
dp = [1] * (n + 1)
for i in range(1, n + 1):
    dp[i] = dp[i - 1] * i
print(dp[20], dp[25], dp[30])
def table(k):
    t = [1]
    for j in range(1, k):
        t.append(t[-1] * 2)
    return t
print(table(70)[-1])
# --- p13_primeprod
def primes(n):
    sieve = [True] * (n + 1)
    out = []
    for i in range(2, n + 1):
        if sieve[i]:
            out.append(i)
            for j in range(i * i, n + 1, i):
                sieve[j] = False
    return out
ps = primes(200)
prod = 1
for p in ps:
    prod = prod * p
print(len(ps), prod)
primorial = [1]
for p in ps:
    primorial.append(primorial[-1] * p)
print(primorial[20], primorial[-1] % 1000000007)
# --- p25_matrix
def matmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(2)) for j in range(2)] for i in range(2)]
def matpow(M, n):
    R = [[1, 0], [0, 1]]
    while n:
        if n & 1:
            R = matmul(R, M)
        M = matmul(M, M)
        n >>= 1
    return R
print(matpow([[1, 1], [1, 0]], 200)[0][1])
grid = [[1] * 40 for _ in range(40)]
for i in range(1, 40):
    for j in range(1, 40):
        grid[i][j] = grid[i - 1][j] + grid[i][j - 1]
print(grid[39][39])
