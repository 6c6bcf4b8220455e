"""Settings for pytest: the test mode, whatever the shell has set."""

import os

os.environ["DJANGO_MODE"] = "test"

from config.settings import *  # noqa: E402, F403
