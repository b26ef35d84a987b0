#!/bin/sh
# Fetch tree-sitter-python's package tarball from the npm registry, check it
# against its published integrity hash, and unpack it into DEST.
#   usage: tools/fetch-grammar.sh VERSION SRI-INTEGRITY DEST
# Nothing fetched here is ever committed: DEST lives under build/.
set -eu
version=$1 integrity=$2 dest=$3
tarball=tree-sitter-python-$version.tgz
work=$(dirname "$dest")
mkdir -p "$work"

if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is needed to fetch tree-sitter-python $version" >&2
    echo "       install it with: apt-get install -y npm" >&2
    exit 1
fi
if [ ! -f "$work/$tarball" ]; then
    echo "fetching tree-sitter-python@$version from the npm registry"
    (cd "$work" && npm pack --silent "tree-sitter-python@$version" >/dev/null)
fi

# The integrity field is "sha512-<base64>"; sha512sum prints hex.
want=$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
have=$(sha512sum "$work/$tarball" | cut -d' ' -f1)
if [ "$want" != "$have" ]; then
    echo "error: $work/$tarball does not match its published integrity hash" >&2
    echo "       expected sha512 $want" >&2
    echo "       got      sha512 $have" >&2
    echo "       delete the file and run make again; if it persists, the registry copy changed" >&2
    rm -f "$work/$tarball"
    exit 1
fi

rm -rf "$dest" "$work/package"
tar -xzf "$work/$tarball" -C "$work"
mv "$work/package" "$dest"
touch "$dest/src/parser.c" "$dest/src/scanner.c"
echo "tree-sitter-python $version unpacked in $dest (integrity ok)"
