#!/usr/bin/env bash
# What the tests need beyond the Python packages, installed when absent (CI runs as root on a fresh machine).
set -euo pipefail

apt_updated=0
apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test set-up: $* missing and cannot be installed here (not root, or no apt-get)" >&2
    return 0
  fi
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  echo "test set-up: installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL server binaries: the store tests start a throwaway server (tests/conftest.py, pg_server).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  apt_install postgresql
fi
# The server refuses to run as root: the fixture runs it as this user.
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

# Java for the Spark tests (tests/test_spark.py): pyspark 4 needs Java 17 or later.
if ! command -v java >/dev/null 2>&1; then
  apt_install openjdk-17-jre-headless
fi

# Chromium for the browser tests (tests/test_service_pages.py): Debian's package, never Playwright's own download.
if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium
fi

echo "test set-up: done"
