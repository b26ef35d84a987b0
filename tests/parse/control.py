if a:
    pass
elif b:
    x = 1
elif c: y = 2
else:
    z = 3
for i in range(10):
    if i % 2: continue
    if i > 7: break
else:
    done = True
for k, v in d.items(): pass
for (a, b), c in pairs: pass
for x, in singles: pass
while n > 0:
    n -= 1
else:
    n = None
while True: break
