def eval(s):
    return s

print(eval('x'))
import scipy
