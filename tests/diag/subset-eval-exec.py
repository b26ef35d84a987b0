code = '1 + 2'
print(eval(code))
exec('x = 1')
print(globals())
