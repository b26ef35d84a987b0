x = a + b - c * d / e // f % g ** h @ m
x = -a ** -b
x = (-a) ** b
x = a ** b ** c
x = ~a ^ b & c | d
x = a | b ^ c & d << e >> f
x = a << b + c
x = +a - -b
x = not a
x = a and b and c
x = a or b or c
x = a and b or c and d
x = a and (b and c)
x = (a or b) or c
x = a < b <= c > d >= e == f != g
x = a in b not in c is d is not e
x = not a == b
x = a if b else c
x = a if b else c if d else e
x = (a if b else c)(d)
x = lambda: a if b else c
x = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10
x = a * b + c * d - e / f
