#!/usr/bin/env bash
# What the tests need beyond the Python packages, installed when absent (CI runs as root on a fresh machine).
set -euo pipefail
echo "test set-up: system packages the tests need"
# Java for the Spark tests (tests/test_spark.py): pyspark 4 needs Java 17 or later.
if ! command -v java >/dev/null; then
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless
fi
