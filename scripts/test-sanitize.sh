#!/bin/sh
# The test suite again under AddressSanitizer + UndefinedBehaviorSanitizer (and
# LeakSanitizer, which ASan runs at exit), in build-sanitize/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh" build-sanitize -DCMAKE_BUILD_TYPE=Debug -DDEPAUDIT_SANITIZE=ON
cd "$root/build-sanitize"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$(nproc)" -LE no-sanitize
