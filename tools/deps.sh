#!/bin/sh
# Check the Debian packages mp2c builds against. When run as root with
# apt-get available, install what is missing; otherwise print the command.
#   usage: tools/deps.sh [test]     ("test" also checks the test-only ones)
set -eu
need="pkg-config libtree-sitter-dev libgmp-dev"
[ "${1:-}" = test ] && need="$need libcmocka-dev"

missing=
for pkg in $need; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing missing packages:$missing"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null; then
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
    fi
    exit 0
fi
echo "error: missing packages:$missing" >&2
echo "       install them with: sudo apt-get install -y$missing" >&2
exit 1
