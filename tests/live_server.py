"""A real multi-process web server (gunicorn) on loopback, for tests that
need true concurrency: it serves the same test database the test uses."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@contextmanager
def gunicorn(*, workers: int = 4, threads: int = 8, project_config=False, output=None, **env):
    """Run the service under gunicorn against the test database; yield its URL.

    project_config: start it as production does, with config/gunicorn.py (its
    access log included); output: a file that gets what the server prints.
    """
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_MODE": "test",
        "DATABASE_URL": test_database_url(),
        "REGISTRATION_RATE_LIMIT": "1000000",
        **env,
    }
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--log-level", "warning",
    ]  # fmt: skip
    if project_config:
        command[4:4] = ["-c", str(ROOT / "config" / "gunicorn.py")]
    errors = subprocess.STDOUT if output else None
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        wait_for_other_sessions_to_end()


def wait_for_other_sessions_to_end(timeout: float = 10) -> None:
    """The server's database sessions end a moment after it exits; the test
    database can only be dropped once they have."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


def wait_until_up(url: str, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server stopped before answering")
        try:
            with urllib.request.urlopen(url + "/api/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer in time")
