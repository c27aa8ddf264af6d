#!/bin/sh
set -e
# warm the cache, then hand over to CMD
python -m service.warmup
exec "$@"
