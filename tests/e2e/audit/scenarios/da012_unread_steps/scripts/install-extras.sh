#!/bin/sh
set -e
pip install --no-cache-dir "$EXTRA_PACKAGES"
