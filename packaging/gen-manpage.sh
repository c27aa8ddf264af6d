#!/bin/sh
# Writes depaudit(1) from the help texts of the built binary: `depaudit --help` for the
# synopsis and description, `depaudit SUBCOMMAND --help` for a section per subcommand. The
# page is generated at build time, so it says exactly what --help says (tests/packaging
# checks that every help line is in the rendered page).
# Usage: gen-manpage.sh DEPAUDIT_BINARY OUTPUT_FILE
set -eu
bin=$1
out=$2
tmp="$out.tmp"

# roff-safe text: backslashes escaped, a leading . or ' neutralised, hyphens as \- (the
# ASCII hyphen-minus that options are typed with).
roff() {
    sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e 's/-/\\-/g'
}

help=$("$bin" --help)
version=$("$bin" --version | sed -n '1s/^depaudit \([^ ]*\).*/\1/p')
[ -n "$version" ] || { echo "gen-manpage: $bin --version printed no version" >&2; exit 1; }
# The subcommands are the ones the top-level help lists ("  name   what it does").
subcommands=$(printf '%s\n' "$help" | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
[ -n "$subcommands" ] || { echo "gen-manpage: no subcommands in $bin --help" >&2; exit 1; }

{
    printf '.TH DEPAUDIT 1 "" "depaudit %s" "User Commands"\n' "$version"
    echo '.SH NAME'
    printf '%s\n' "$help" | sed -n '/^[A-Z]/{p;q;}' | roff | sed 's/^/depaudit \\- /'
    echo '.SH SYNOPSIS'
    echo '.nf'
    printf '%s\n' "$help" | sed -n '/^$/q;s/^usage: //;s/^       //;p' | roff
    echo '.fi'
    echo '.SH DESCRIPTION'
    echo '.nf'
    printf '%s\n' "$help" | sed '1,/^$/d' | roff
    echo '.fi'
    echo '.SH SUBCOMMANDS'
    for sub in $subcommands; do
        printf '.SS "depaudit %s"\n' "$sub"
        echo '.nf'
        "$bin" "$sub" --help | roff
        echo '.fi'
    done
    echo '.SH FILES'
    echo '.TP'
    echo '.I .depaudit.toml, pyproject.toml [tool.depaudit]'
    echo 'configuration, read from the current directory and next to the Dockerfile.'
    echo '.TP'
    # shellcheck disable=SC2016 # the variable is the page's text, not this shell's
    echo '.I $XDG_CACHE_HOME/depaudit'
    echo 'the metadata cache.'
    echo '.SH SEE ALSO'
    echo 'The user guide in /usr/share/doc/depaudit/guide/.'
} >"$tmp"
mv "$tmp" "$out"
