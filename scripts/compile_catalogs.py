"""Compile locale/*/LC_MESSAGES/django.po to .mo with Babel (no GNU gettext needed)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.catalogs import compile_catalogs  # noqa: E402

if __name__ == "__main__":
    compile_catalogs(only_if_stale="--if-stale" in sys.argv)
