#!/bin/sh
# Turn templates/*.c.tmpl into one C include file: a table of
# { "name", "text" } rows that gen/tmpl.c expands. Run by the Makefile.
#   usage: tools/embed-templates.sh OUT.inc templates/a.c.tmpl ...
set -eu
out=$1; shift
{
    echo "/* Generated from the files in templates/ by tools/embed-templates.sh. Do not edit. */"
    for f in "$@"; do
        name=$(basename "$f" .c.tmpl)
        echo "{ \"$name\","
        # Each template line becomes a C string literal ending in \n.
        sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/  "/' -e 's/$/\\n"/' "$f"
        echo "},"
    done
} > "$out.tmp"
mv "$out.tmp" "$out"
