#!/bin/sh
# The man page says what --help says: every line of `depaudit --help` and of every
# subcommand's --help is a line of the rendered page (whitespace aside), and every
# subcommand has its section. Usage: manpage_test.sh DEPAUDIT MANPAGE.gz
set -u
bin=$1
page=$2
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Rendered wide, without overstrikes, hyphens as typed; lines trimmed.
norm() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/[[:space:]][[:space:]]*/ /g' | grep -v '^$'; }
zcat "$page" | groff -man -Tascii -rLL=250n -P-cbou 2>"$tmp/warnings" | norm >"$tmp/page"
check "the page renders without groff warnings" test ! -s "$tmp/warnings"
check "the page has a NAME and SYNOPSIS" grep -q "^SYNOPSIS" "$tmp/page"

missing() { # prints help lines absent from the page
    norm | while IFS= read -r line; do
        grep -Fxq -- "$line" "$tmp/page" || printf '%s\n' "$line"
    done
}
"$bin" --help | sed '1,/^$/d' | missing >"$tmp/miss"
check "every line of depaudit --help is in the page" test ! -s "$tmp/miss"
cat "$tmp/miss"
subs=$("$bin" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
check "subcommands listed" test -n "$subs"
for sub in $subs; do
    check "section for $sub" grep -q "^depaudit $sub\$" "$tmp/page"
    "$bin" "$sub" --help | missing >"$tmp/miss"
    check "every line of depaudit $sub --help is in the page" test ! -s "$tmp/miss"
    cat "$tmp/miss"
done
# And the other way: a help line that is not in the page fails (the check can fail).
printf 'a line no help text has\n' | missing >"$tmp/miss"
check "a line not in the help is reported missing" test -s "$tmp/miss"
finish
