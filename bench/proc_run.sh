#!/bin/sh
# Process start+join, CPython against the runtime, in one run: a child that
# does nothing, started and joined N times. Prints medians and the ratio,
# and bare fork()+waitpid() as the hand-written C floor.
#   usage: sh bench/proc_run.sh [N] [RUNS]     (B=build dir, EXTRA=more objects to link)
B=${B:-build}
N=${1:-200}
R=${2:-5}
cd "$(dirname "$0")/.." || exit 2
# -z now binds every library call at startup: otherwise each forked child
# resolves (and writes) the PLT entries of the calls it makes for the first time.
mkdir -p "$B/bench"
cc -std=c11 -D_GNU_SOURCE -O2 -Iruntime bench/proc_fork.c "$B/libmp2crt.a" $EXTRA \
   -lgmp -lm -pthread -lrt -Wl,-z,now -o "$B/bench/proc_fork" || exit 1
py=$(env -u PYTHONUNBUFFERED python3 bench/proc_fork.py "$N" "$R")
set -- $("$B/bench/proc_fork" "$N" "$R")
echo "Process(target=f).start() + join(), N=$N, median of $R"
printf '  CPython      %8s us\n  mp2c         %8s us\n  fork+waitpid %8s us (hand-written C)\n' "$py" "$1" "$2"
printf '  ratio        %.1fx (hand-written C: %.1fx)\n' "$(awk "BEGIN { print $py / $1 }")" "$(awk "BEGIN { print $py / $2 }")"
