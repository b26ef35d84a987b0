#!/usr/bin/env python3
"""Golden tests: CPython writes the expected output, mp2c's program must match it.

    golden.py update [NAME...]   run each script under python3 and write
                                 NAME.expected (stdout), NAME.rc (exit code) and
                                 NAME.stderr next to it (`make golden` calls this)
    golden.py run [NAME...]      build each script with mp2c, run it, compare;
                                 prints "PASS name" / "FAIL name" lines

Scripts: tests/golden/*.py and examples/*.py (the seed notes' scripts).

Output that CPython itself does not repeat from run to run (pids, addresses,
which of two children prints first, elapsed time) is compared by rules stated
with the test: `# golden: RULE` lines in the script, or lines of NAME.rules
next to it (for scripts that must stay unchanged). Rules apply to both
outputs; a rule may only hide variation CPython itself shows:

    mask REGEX            replace each match with <*> (Python regex)
    unordered             compare the lines as a multiset
    approx REGEX TOL      the number captured by REGEX's group 1 may differ by TOL;
                          the rest of the line must match
    stderr-tail N         also compare the last N lines of stderr
    timeout SECONDS       run time limit (default 60)
    check                 also run NAME.check (Python defining check(expected, actual)
                          -> None or a message) for invariants, e.g. "the values
                          received are exactly the values sent"

Both CPython and the program run with PYTHONUNBUFFERED unset and stdout to a
pipe, as in CI.
"""
import concurrent.futures
import difflib
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DIRS = ['tests/golden', 'examples']
BUILD = os.environ.get('B', 'build')


def scripts(names):
    found = []
    for d in DIRS:
        full = os.path.join(ROOT, d)
        for f in sorted(os.listdir(full)):
            if f.endswith('.py') and f != 'golden.py':
                name = f[:-3]
                if not names or name in names:
                    found.append((d, name))
    return found


def env():
    e = dict(os.environ)
    e.pop('PYTHONUNBUFFERED', None)
    e['PYTHONHASHSEED'] = '0'
    return e


def rules_for(d, name):
    rules = []
    path = os.path.join(ROOT, d, name + '.py')
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = re.match(r'\s*#\s*golden:\s*(.*?)\s*$', line)
            if m:
                rules.append(m.group(1))
    side = os.path.join(ROOT, d, name + '.rules')
    if os.path.exists(side):
        with open(side, encoding='utf-8') as f:
            rules += [l.strip() for l in f if l.strip() and not l.startswith('#')]
    return rules


def rule_value(rules, key, default=None):
    for r in rules:
        if r.split(None, 1)[0] == key:
            parts = r.split(None, 1)
            return parts[1] if len(parts) > 1 else ''
    return default


def update(d, name):
    rel = os.path.join(d, name + '.py')
    timeout = float(rule_value(rules_for(d, name), 'timeout', '60'))
    p = subprocess.run([sys.executable, rel], cwd=ROOT, env=env(), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    base = os.path.join(ROOT, d, name)
    with open(base + '.expected', 'wb') as f:
        f.write(p.stdout)
    with open(base + '.rc', 'w') as f:
        f.write('%d\n' % p.returncode)
    with open(base + '.stderr', 'wb') as f:
        f.write(p.stderr)
    return name


def normalize(text, rules):
    lines = text.split('\n')
    for r in rules:
        parts = r.split(None, 1)
        if parts[0] == 'mask':
            rx = re.compile(parts[1])
            lines = [rx.sub('<*>', l) for l in lines]
    for r in rules:
        if r.split(None, 1)[0] == 'unordered':
            lines = sorted(lines)
    return lines


def approx_ok(exp_lines, act_lines, rules):
    """Lines equal but for numbers the approx rules allow to differ."""
    approx = []
    for r in rules:
        parts = r.split()
        if parts[0] == 'approx':
            approx.append((re.compile(' '.join(parts[1:-1])), float(parts[-1])))
    if len(exp_lines) != len(act_lines):
        return False
    for e, a in zip(exp_lines, act_lines):
        if e == a:
            continue
        ok = False
        for rx, tol in approx:
            me, ma = rx.search(e), rx.search(a)
            if me and ma and abs(float(me.group(1)) - float(ma.group(1))) <= tol:
                if rx.sub('', e) == rx.sub('', a):
                    ok = True
        if not ok:
            return False
    return True


ASAN_NOTE = re.compile(r'==\d+==WARNING: ASan |--\d+-- ')
CHECKOUT = re.compile(r'File "[^"]*/((?:tests/golden|examples)/)')


def compare(d, name, out, err, rc):
    base = os.path.join(ROOT, d, name)
    rules = rules_for(d, name)
    with open(base + '.expected', encoding='utf-8', errors='replace') as f:
        expected = f.read()
    with open(base + '.rc') as f:
        want_rc = int(f.read().strip())
    problems = []
    if rc != want_rc:
        problems.append('exit code %d, CPython gave %d' % (rc, want_rc))
    # where the checkout lives is not the program's output (tracebacks name
    # the script by its absolute path; CI clones elsewhere)
    e_lines, a_lines = (normalize(CHECKOUT.sub(r'File "\1', x), rules) for x in (expected, out))
    if not approx_ok(e_lines, a_lines, rules):
        diff = difflib.unified_diff(e_lines, a_lines, 'cpython', 'mp2c', lineterm='', n=2)
        problems.append('stdout differs:\n' + '\n'.join(list(diff)[:40]))
    tail = rule_value(rules, 'stderr-tail')
    if tail:
        n = int(tail)
        with open(base + '.stderr', encoding='utf-8', errors='replace') as f:
            e_err = f.read().rstrip('\n').split('\n')[-n:]
        # AddressSanitizer's and valgrind's own warnings (`make SANITIZE=1`,
        # `make valgrind`) are not the program's
        a_err = [l for l in err.rstrip('\n').split('\n') if not ASAN_NOTE.match(l)][-n:]
        # where the checkout lives is not the program's output: CPython's
        # tracebacks name the script by its absolute path
        e_err, a_err = (normalize(CHECKOUT.sub(r'File "\1', '\n'.join(x)), rules) for x in (e_err, a_err))
        if e_err != a_err:
            problems.append('stderr tail differs:\n  cpython: %r\n  mp2c:    %r' % (e_err, a_err))
    if rule_value(rules, 'check') is not None:
        ns = {}
        with open(base + '.check', encoding='utf-8') as f:
            exec(compile(f.read(), base + '.check', 'exec'), ns)
        msg = ns['check'](expected, out)
        if msg:
            problems.append('invariant: ' + msg)
    return problems


def run_one(d, name):
    rel = os.path.join(d, name + '.py')
    exe = os.path.join(ROOT, BUILD, 'golden', d.replace('/', '_') + '_' + name)
    os.makedirs(os.path.dirname(exe), exist_ok=True)
    rules = rules_for(d, name)
    # GOLDEN_WRAPPER runs each program under a tool (tools/valgrind.sh sets
    # it to valgrind), whose slowness GOLDEN_TIMEOUT_SCALE allows for.
    wrapper = os.environ.get('GOLDEN_WRAPPER', '').split()
    timeout = float(rule_value(rules, 'timeout', '60')) * float(os.environ.get('GOLDEN_TIMEOUT_SCALE', '1'))
    benv = env()
    # The generated C must compile without a warning.
    benv['CFLAGS'] = os.environ.get('GOLDEN_CFLAGS', '-O1 -g -Wall -Wextra -Werror')
    b = subprocess.run([os.path.join(ROOT, BUILD, 'mp2c'), 'build', rel, '-o', exe], cwd=ROOT, env=benv,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if b.returncode != 0:
        return name, ['mp2c build failed:\n' + b.stdout.decode(errors='replace')[-3000:]]
    try:
        p = subprocess.run(wrapper + [exe], cwd=ROOT, env=env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return name, ['timed out after %gs' % timeout]
    out = p.stdout.decode('utf-8', errors='replace')
    err = p.stderr.decode('utf-8', errors='replace')
    problems = compare(d, name, out, err, p.returncode)
    if problems and err.strip():
        problems.append('stderr:\n' + err[-2000:])
    if 'ERROR: AddressSanitizer' in err or 'runtime error:' in err or 'LeakSanitizer' in err:
        problems.append('sanitizer report:\n' + err[-3000:])
    if wrapper and re.search(r'^==\d+== ', err, re.M):
        problems.append('report from %s:\n%s' % (wrapper[0], err[-3000:]))
    return name, problems


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else 'run'
    names = set(sys.argv[2:])
    todo = scripts(names)
    jobs = int(os.environ.get('JOBS', '2'))
    if cmd == 'update':
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            for name in ex.map(lambda t: update(*t), todo):
                print('wrote', name)
        return 0
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        for (d, _), (name, problems) in zip(todo, ex.map(lambda t: run_one(*t), todo)):
            label = 'golden/%s' % name if d == 'tests/golden' else 'example/%s' % name
            if problems:
                failed += 1
                print('FAIL ' + label)
                for p in problems:
                    print('    ' + p.replace('\n', '\n    '))
            else:
                print('PASS ' + label)
            sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
