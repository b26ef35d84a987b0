# traceback.format_exc()/print_exc() in a Pool worker's and a Process
# child's own except blocks: only the script's frames are in the traceback.
# golden: stderr-tail 15
import multiprocessing as mp
import sys
import traceback


def parse(text):
    int(text)


def check(text):
    parse(text)


def work(text):
    try:
        check(text)
        return "ok " + text
    except ValueError:
        return traceback.format_exc()


def lines(text):
    try:
        check(text)
    except ValueError as e:
        return traceback.format_exception(e)
    return []


def child(text, q):
    try:
        try:
            check(text)
        except ValueError as e:
            raise RuntimeError("child failed") from e
    except RuntimeError:
        q.put(traceback.format_exc())
        traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
        traceback.print_exc()


if __name__ == "__main__":
    with mp.Pool(2) as pool:
        for r in pool.map(work, ["1", "x", "2", "y"]):
            print(r, end="" if r.endswith("\n") else "\n")
        for items in pool.map(lines, ["z", "3"]):
            print(len(items), items)
    q = mp.Queue()
    p = mp.Process(target=child, args=("bad", q))
    p.start()
    text = q.get()
    p.join()
    print("exitcode", p.exitcode)
    print(text, end="")
