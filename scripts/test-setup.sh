#!/usr/bin/env bash
# What the tests need beyond the Python packages, installed when absent (CI runs as root on a fresh machine).
set -euo pipefail

# PostgreSQL server binaries: the store tests start a throwaway server (tests/conftest.py, pg_server).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test set-up: installing postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "test set-up: PostgreSQL is missing and cannot be installed here; its store tests will be skipped" >&2
  fi
fi
# The server refuses to run as root: the fixture runs it as this user.
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
# Chromium for the browser tests (tests/test_service_pages.py): Debian's package, never Playwright's own download.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test set-up: installing chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test set-up: chromium is missing and cannot be installed here; the browser tests will fail" >&2
  fi
fi
echo "test set-up: done"
