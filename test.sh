#!/usr/bin/env bash
# Run every check and test. DATABASE_URL picks the database (SQLite when unset);
# extra arguments go to pytest (e.g. ./test.sh -k campaign).
source "$(dirname "$0")/scripts/bootstrap.sh"
export DJANGO_MODE=test

$PY -m ruff check .
$PY -m ruff format --check .
$PY manage.py makemigrations --check --dry-run
$PY -m pytest "$@"
