#!/bin/sh
# The user guide's examples, run (docs_test.py). Usage: docs_test.sh DEPAUDIT SOURCE_DIR
exec python3 "$(dirname "$0")/docs_test.py" "$@"
