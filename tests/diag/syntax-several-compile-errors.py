def f():
    pass

return 1

for i in range(2):
    pass
break
