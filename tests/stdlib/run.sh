#!/bin/sh
# tests/stdlib: the front end against CPython's whole library (~1,800 files).
#
# 1. `mp2c check` on every .py file of the stdlib (site-packages excluded),
#    two at a time, each under a timeout: the exit code must be 0, or 1 with
#    well-formed diagnostics (each group starts "path:line:col: error: ",
#    followed by indented source/caret lines and notes); never a crash, a
#    sanitizer report or a timeout. Files CPython rejects must be rejected.
# 2. `mp2c dump-ast` on every file CPython parses; the dump must equal
#    CPython's ast.dump(). This is strict: a file may differ only for a
#    reason listed in skip_reason() below (valid Python that mp2c reports as
#    unsupported, or a known, documented front-end gap).
# Prints one PASS/FAIL line for the sweep, with the counts, and details of
# any failure. Under `make SANITIZE=1 test`, B is build/san.
B=${B:-build}
cd "$(dirname "$0")/../.." || exit 2
if ! command -v python3 >/dev/null 2>&1; then
    echo "FAIL stdlib/sweep"
    echo "    python3 is needed (the stdlib and CPython's parser are the oracle)"
    exit 0
fi
B=$(cd "$B" 2>/dev/null && pwd) || { echo "FAIL stdlib/sweep"; echo "    no build dir"; exit 0; }
stdlib=$(python3 -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/err" "$tmp/ast"
limit=${STDLIB_TIMEOUT:-60}

find "$stdlib" -name '*.py' -not -path '*/site-packages/*' | sort | awk '{ print NR " " $0 }' \
    > "$tmp/files"

# One batch of "id path" lines: check (stderr kept) and dump-ast.
cat > "$tmp/batch.sh" <<'SH'
B=$1 tmp=$2 limit=$3
shift 3
while [ $# -gt 0 ]; do
    id=$1 f=$2
    shift 2
    timeout "$limit" "$B/mp2c" check "$f" > /dev/null 2> "$tmp/err/$id"
    rc=$?
    timeout "$limit" "$B/mp2c" dump-ast "$f" > "$tmp/ast/$id" 2> /dev/null
    echo "$id $rc $?"
done
SH
tr '\n' ' ' < "$tmp/files" | xargs -n 40 -P 2 sh "$tmp/batch.sh" "$B" "$tmp" "$limit" \
    > "$tmp/results"

python3 - "$tmp" <<'PY'
import ast, os, re, sys, tokenize, unicodedata, io, warnings
from multiprocessing import Pool
warnings.simplefilter('ignore')
tmp = sys.argv[1]
files = {}
for line in open(os.path.join(tmp, 'files'), encoding='utf-8', errors='surrogateescape'):
    i, path = line.rstrip('\n').split(' ', 1)
    files[i] = path
results = {}
for line in open(os.path.join(tmp, 'results')):
    i, rc_check, rc_dump = line.split()
    results[i] = (int(rc_check), int(rc_dump))

def cpython(item):
    i, path = item
    try:
        src = open(path, 'rb').read()
    except OSError:
        return i, None, None
    try:
        return i, ast.dump(ast.parse(src)), src
    except (SyntaxError, ValueError):
        return i, None, src

def compiles(src):
    try:
        compile(src, 'x', 'exec')
        return True
    except (SyntaxError, ValueError):
        return False

def nfkc_names(src):
    try:
        for t in tokenize.tokenize(io.BytesIO(src).readline):
            if t.type == tokenize.NAME and not t.string.isascii() and \
               unicodedata.normalize('NFKC', t.string) != t.string:
                return True
    except Exception:
        pass
    return False

# Valid Python whose dump cannot match, each for a documented reason.
KNOWN = {
    # tree-sitter-python 0.23.6 loses its bracket depth on "(bar.\n    baz)"
    # with the continuation dedented below the statement (docs/front-end.md).
    'test/test_compile.py': 'tree-sitter-python cannot parse a dedented continuation line inside brackets',
}

def skip_reason(path, src, tree, err):
    rel = os.path.relpath(path, os.path.dirname(os.path.dirname(path)))
    for k, why in KNOWN.items():
        if path.endswith('/' + k):
            return why
    if tree is not None and any(isinstance(n, (ast.Match, ast.TryStar)) for n in ast.walk(tree)):
        return 'match or except* (reported as unsupported)'
    if b'\\N{' in src and 'N{...}' in err:
        return '\\N{...} escape (reported as unsupported)'
    if 'reads only UTF-8' in err:
        return 'not UTF-8 (reported as unsupported)'
    if nfkc_names(src):
        return 'identifier needs NFKC normalization (known gap)'
    return None

line_re = re.compile(r'^(?P<p>.+?):(\d+):(\d+): (error|note): ')
def well_formed(path, text):
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines:
        return 'exit 1 without a diagnostic'
    if not lines[0].startswith(path + ':') or ': error: ' not in lines[0] or not line_re.match(lines[0]):
        return 'first line is not "path:line:col: error: ...": ' + lines[0][:100]
    for l in lines[1:]:
        if l.startswith('    ') or line_re.match(l) or l.startswith(path + ': note: '):
            continue
        return 'unexpected line: ' + l[:100]
    return None

with Pool(2) as pool:
    oracle = {i: (d, s) for i, d, s in pool.map(cpython, sorted(files.items()), chunksize=20)}

bad = []
compared = same = skipped = 0
for i, path in sorted(files.items(), key=lambda kv: int(kv[0])):
    rc, rc_dump = results.get(i, (-1, -1))
    err = open(os.path.join(tmp, 'err', i), encoding='utf-8', errors='replace').read()
    want, src = oracle.get(i, (None, None))
    if rc == 124 or rc_dump == 124:
        bad.append((path, 'timeout')); continue
    if rc not in (0, 1) or rc_dump not in (0, 1):
        bad.append((path, 'exit %d/%d: %s' % (rc, rc_dump, err.strip()[-300:]))); continue
    if rc == 0 and err:
        bad.append((path, 'exit 0 but wrote: ' + err[:200])); continue
    if rc == 1:
        why = well_formed(path, err)
        if why:
            bad.append((path, why)); continue
    if src is None:
        continue
    if want is None or not compiles(src):
        if rc_dump == 0:
            bad.append((path, 'CPython rejects this file, mp2c accepts it'))
        continue
    ours = open(os.path.join(tmp, 'ast', i), encoding='utf-8', errors='replace').read().rstrip('\n')
    if ours == want:
        compared += 1; same += 1; continue
    tree = ast.parse(src)
    why = skip_reason(path, src, tree, err)
    if why:
        skipped += 1; continue
    compared += 1
    if not ours:
        bad.append((path, 'CPython accepts this file, mp2c rejects it: ' + err.split('\n')[0][:200]))
    else:
        k = 0
        while k < min(len(ours), len(want)) and ours[k] == want[k]:
            k += 1
        bad.append((path, 'AST differs from CPython\'s:\n        ours:    ...%s\n        CPython: ...%s'
                    % (ours[max(0, k - 60):k + 60], want[max(0, k - 60):k + 60])))

total = len(files)
detail = '%d files; AST identical to CPython for %d of %d comparable files (%d skipped: unsupported or known gaps)' \
    % (total, same, compared, skipped)
if bad:
    print('FAIL stdlib/sweep (%s)' % detail)
    for path, why in bad[:30]:
        print('    %s: %s' % (path, why))
    if len(bad) > 30:
        print('    ... and %d more' % (len(bad) - 30))
else:
    print('PASS stdlib/sweep (%s)' % detail)
PY
