"""The embedded default (a SQLite file, the database as the task queue) under
real concurrency: web server threads and the background worker write to the
same file at once, and no registration or e-mail is lost on the way.

This runs whatever database the rest of the suite uses: it makes its own
SQLite file, as ./run.sh does.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.live_server import ROOT, free_port, wait_until_up

REGISTRATIONS = 40

MAKE_EVENT = """
import datetime as dt
from django.utils import timezone
from events import services
from events.models import Event, Organization
organization = Organization.objects.create(name="Group", slug="group")
starts = timezone.now() + dt.timedelta(days=2)
event = services.save_event(event=Event(
    organization=organization, title="Legal session", kind=Event.Kind.INFORMATION_SESSION,
    format=Event.Format.ONLINE, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
    capacity=25, has_waitlist=True, visibility=Event.Visibility.LISTED))
print(event.pk)
"""


def post(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_web_and_worker_on_one_sqlite_file_lose_nothing(tmp_path: Path):
    database = tmp_path / "db.sqlite3"
    mail = tmp_path / "mail"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_MODE": "development",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_URL": f"file://{mail}",
        "REGISTRATION_RATE_LIMIT": "1000000",
        "Q_WORKERS": "2",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=environment, check=True)
    event_id = subprocess.run(
        [*manage, "shell", "-c", MAKE_EVENT],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]

    port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=environment,
    )
    worker = subprocess.Popen([*manage, "qcluster"], cwd=ROOT, env=environment)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, web)
        endpoint = f"{url}/api/events/{event_id}/registrations/"
        bodies = [{"email": f"person{number}@example.org"} for number in range(REGISTRATIONS)]
        # In waves, so the worker sends the first e-mails while later ones arrive.
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda body: post(endpoint, body), bodies))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and count_mail(mail) < REGISTRATIONS:
            time.sleep(0.5)
    finally:
        web.terminate()
        worker.terminate()
        web.wait(timeout=30)
        worker.wait(timeout=30)

    assert answers == [202] * REGISTRATIONS
    with sqlite3.connect(database) as db:
        stored = db.execute(
            "SELECT status, COUNT(*) FROM registrations_registration GROUP BY status"
        ).fetchall()
        waiting = db.execute("SELECT COUNT(*) FROM registrations_outboundmessage").fetchone()[0]
    assert dict(stored) == {"confirmed": 25, "waitlisted": REGISTRATIONS - 25}
    # Every registration's e-mail went out, and the outbox is empty.
    assert count_mail(mail) == REGISTRATIONS
    assert waiting == 0


def count_mail(folder: Path) -> int:
    if not folder.exists():
        return 0
    return sum(path.read_text().count("\nSubject: ") for path in folder.iterdir())
