#!/usr/bin/env bash
# Run the whole service on this machine: web server and background worker,
# SQLite, demo events, an organizer login. Stop with Ctrl-C.
source "$(dirname "$0")/scripts/bootstrap.sh"
export DJANGO_MODE=${DJANGO_MODE:-development}
ADDRESS=${ADDRESS:-127.0.0.1:8000}

$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo
$PY manage.py create_organizer

$PY manage.py qcluster &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
echo
echo "Open http://$ADDRESS/ (organizers: http://$ADDRESS/admin/). Ctrl-C stops."
$PY manage.py runserver "$ADDRESS" --noreload
