# signal.NSIG, valid_signals(), strsignal(), Signals(n) and what a handler
# receives (a plain int).
import os
import signal


def handler(signum, frame):
    print('handler got', type(signum).__name__, signum)


if __name__ == '__main__':
    print(signal.NSIG)
    valid = signal.valid_signals()
    print(len(valid), 9 in valid, 32 in valid, signal.SIGTERM in valid, sorted(int(s) for s in valid)[:5])
    print(signal.strsignal(15), signal.strsignal(signal.SIGKILL), signal.strsignal(2))
    print(signal.Signals(2).name, signal.Signals(15).value, repr(signal.Signals(10)), str(signal.Signals(2)))
    print(int(signal.SIGINT), signal.SIGINT == 2, {signal.SIGINT: 'int'}[2])
    signal.signal(signal.SIGUSR1, handler)
    os.kill(os.getpid(), signal.SIGUSR1)
    print(signal.getsignal(signal.SIGUSR1) is handler)
