#!/usr/bin/env bash
# Run the whole service on this machine: web server and background worker,
# SQLite, demo events, an organizer login. Stop with Ctrl-C.
source "$(dirname "$0")/scripts/bootstrap.sh"
export DJANGO_MODE=${DJANGO_MODE:-development}
ADDRESS=${ADDRESS:-127.0.0.1:8000}
# Links in e-mails and printed links use the address the site is served on.
export SITE_URL=${SITE_URL:-http://$ADDRESS}

$PY manage.py migrate --no-input -v 0
$PY manage.py load_demo
$PY manage.py create_organizer
$PY manage.py create_organizer --username coordinator --role coordinator

# The worker runs in its own session, so a Ctrl-C or a TERM sent to this
# group reaches it once, through the trap, and never twice (which can hang
# its shutdown).
setsid $PY manage.py qcluster &
worker=$!
stop_worker() { kill -TERM "$worker" 2>/dev/null; wait "$worker" 2>/dev/null; }
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
echo
echo "Open http://$ADDRESS/ (organizers: http://$ADDRESS/admin/). Ctrl-C stops."
$PY manage.py runserver "$ADDRESS" --noreload
