#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Commands typed in a checkout run in development mode; servers say
    # DJANGO_MODE=production (the web entry point, config.wsgi, defaults to it).
    os.environ.setdefault("DJANGO_MODE", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
