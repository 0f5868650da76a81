#!/usr/bin/env bash
# What the tests need beyond the Python packages, installed when absent (CI runs as root on a fresh machine).
set -euo pipefail
echo "test set-up: nothing extra needed yet"
