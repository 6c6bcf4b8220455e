#!/usr/bin/env bash
# Run every check and test. DATABASE_URL picks the database (SQLite when unset);
# extra arguments go to pytest (e.g. ./test.sh -k campaign).
source "$(dirname "$0")/scripts/bootstrap.sh"
export DJANGO_MODE=test

# The browser tests check each page with axe-core, pinned in package-lock.json.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    echo "npm is missing: the accessibility checks in the browser tests need it (apt-get install npm)." >&2
  fi
fi

$PY -m ruff check .
$PY -m ruff format --check .
$PY manage.py makemigrations --check --dry-run
$PY -m pytest "$@"
