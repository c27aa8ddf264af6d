#!/bin/sh
# The completions know every option: each option of each subcommand's table (read by
# packaging/gen-completions.py --list) is in the bash, zsh and fish files for that
# subcommand; each option the subcommand's --help names is in its table; the bash file
# loads and completes; zsh and fish parse them where installed.
# Usage: completions_test.sh DEPAUDIT SOURCE_DIR COMPLETIONS_DIR
set -u
bin=$1
src=$2
dir=$3
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/packaging/gen-completions.py" "$src" --list >"$tmp/list"
check "the option tables list options" test "$(wc -l <"$tmp/list")" -gt 30
subs=$(cut -d' ' -f1 "$tmp/list" | uniq)

# Each table option in each shell's completion of that subcommand.
while read -r sub opt; do
    # bash: the subcommand's case arm holds opts="..." with the option as a word.
    sed -n "/^    $sub)/,/opts=/p" "$dir/depaudit.bash" | grep -q -- "opts=.*[\" ]${opt}[\" ]" ||
        bad "bash: $sub $opt"
    grep "^    $sub) _arguments" "$dir/_depaudit" | grep -q -- "'\**${opt}[:']" || bad "zsh: $sub $opt"
    case $opt in
    --*) fishopt="-l ${opt#--}" ;;
    *) fishopt="-s ${opt#-}" ;;
    esac
    if [ "$sub" = check ]; then cond="not __fish_seen_subcommand_from"; else cond="__fish_seen_subcommand_from $sub'"; fi
    grep -- "-n '$cond" "$dir/depaudit.fish" | grep -q -- " $fishopt\( \|\$\)" || bad "fish: $sub $opt"
done <"$tmp/list"
[ "$fail" -eq 0 ] && ok "every table option is in the bash, zsh and fish completions"

# Each option --help names is in that subcommand's table (the table is the whole truth).
for sub in $subs; do
    "$bin" "$sub" --help | grep -Eo '(^|[ ,])--?[a-z][a-z0-9-]*' | sed 's/^[ ,]*//' | sort -u |
        while read -r opt; do
            grep -qx "$sub $opt" "$tmp/list" || echo "$sub $opt"
        done >>"$tmp/unlisted"
done
check "every option --help names is in the option tables" test ! -s "$tmp/unlisted"
cat "$tmp/unlisted"

# bash: load the file and complete.
complete_bash() { # words... ; prints COMPREPLY
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _depaudit; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$dir/depaudit.bash" "$@"
}
check "bash: the file loads and registers _depaudit" \
    bash -c '. "$1" && complete -p depaudit | grep -q _depaudit' _ "$dir/depaudit.bash"
cd "$tmp" || exit 1 # no file here starts like a subcommand
check "bash: subcommands complete" test "$(complete_bash depaudit res)" = resolve
check "bash: check's --format values" test "$(complete_bash depaudit check --format "" | tr '\n' ' ')" = "text json sarif github "
check "bash: --fail-on without a subcommand is check's" test "$(complete_bash depaudit --fail-on w)" = warning
check "bash: resolve options" test "$(complete_bash depaudit resolve --const)" = --constraint
check "bash: which has no --fail-on" test -z "$(complete_bash depaudit which --fail)"
if command -v zsh >/dev/null; then
    check "zsh: the file parses" zsh -n "$dir/_depaudit"
else
    echo "note: zsh not installed; its file was only checked for options"
fi
if command -v fish >/dev/null; then
    check "fish: the file parses" fish -n "$dir/depaudit.fish"
    check "fish: completes check's --format values" \
        sh -c "fish -c 'source $dir/depaudit.fish; complete -C \"depaudit --format \"' | grep -qx sarif"
else
    echo "note: fish not installed; its file was only checked for options"
fi
finish
