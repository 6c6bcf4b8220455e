#!/usr/bin/env bash
# Refresh the translation catalogs (locale/*/LC_MESSAGES/django.po) from the
# code and templates, compile them, and list the entries a translator must
# write or check (new strings, and fuzzy guesses for changed ones).
source "$(dirname "$0")/bootstrap.sh"
DJANGO_MODE=${DJANGO_MODE:-development} $PY manage.py update_catalogs
