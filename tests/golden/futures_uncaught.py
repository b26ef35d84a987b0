# An exception from a worker that nobody catches: result() raises it in the
# parent, the with block still waits for the other calls (shutdown), and the
# program ends with CPython's traceback (its last line compared) and exit
# code 1.
# golden: stderr-tail 1
# golden: timeout 60
from concurrent.futures import ProcessPoolExecutor


def parse(text):
    return int(text)


if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=2) as executor:
        good = executor.submit(parse, '42')
        bad = executor.submit(parse, 'forty-two')
        print('good:', good.result())
        print('bad:', bad.result())
    print('not reached')
