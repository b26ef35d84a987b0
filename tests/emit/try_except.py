# try/except/finally: errors jump to handler labels; finally runs on every path.
def safe_div(a, b):
    try:
        return a // b
    except ZeroDivisionError as e:
        print('error:', e)
        return 0
    finally:
        print('done')


print(safe_div(7, 2), safe_div(1, 0))
