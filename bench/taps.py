"""Marshals' taps per second through gunicorn + PostgreSQL, with exact totals.

Run by hand (not a test):  .venv/bin/python bench/taps.py [--seconds 10] [--devices 50]

Needs PostgreSQL (DATABASE_URL, default coord_headcount_bench) and wrk.
Starts gunicorn, then 50 "phones" (wrk connections, bench/taps.lua: each
request carries new taps from one of the devices, every fifth request is the
previous one sent again, as a phone retries when an answer is lost) send taps
as fast as the server answers: first one tap per request, then batches of 10
(what a phone sends after the network returns). At the end the event's total
must equal the taps stored, each stored once, and what the phones were told
was accepted (plus at most the requests still under way when wrk stopped).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measure import cpu_seconds, start_gunicorn  # noqa: E402

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coord_headcount_bench")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("DJANGO_MODE", "production")

PORT = 8097


def prepare_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )


def make_event_and_marshal():
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from attendance import services as attendance_services
    from events import services
    from events.models import Event, Organization, Venue

    organization, _ = Organization.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark"}
    )
    venue, _ = Venue.objects.get_or_create(
        organization=organization, name="Bench park", defaults={"city": "Toronto"}
    )
    starts = timezone.now() + dt.timedelta(hours=1)
    event = services.save_event(
        event=Event(
            organization=organization,
            venue=venue,
            title=f"taps {time.time_ns()}",
            kind=Event.Kind.RALLY,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            visibility=Event.Visibility.LISTED,
        )
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-marshal")
    attendance_services.assign_marshal(event=event, username="bench-marshal")
    token, _ = Token.objects.get_or_create(user=user)
    return event, token.key


def wrk(path: str, token: str, devices: int, seconds: float, per_request: int, server) -> dict:
    command = ["wrk", "-t2", f"-c{devices}", f"-d{seconds:.0f}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "taps.lua"), f"http://127.0.0.1:{PORT}{path}"]
    if token:
        command += ["--", str(per_request), token]
    before = cpu_seconds(server)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = cpu_seconds(server)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    found = re.search(r"answered (\d+) accepted (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": requests,
        "answered": int(found.group(1)) if found else requests,
        "accepted": int(found.group(2)) if found else 0,
        "seconds": seconds,
        "web_cpu": 1000 * (after[0] - before[0]) / max(requests, 1),
        "db_cpu": 1000 * (after[1] - before[1]) / max(requests, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    prepare_database()
    import django

    django.setup()
    from attendance import selectors
    from attendance.models import Tap

    server = start_gunicorn(PORT, args.workers, args.threads)
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, PostgreSQL; "
        f"{os.cpu_count()} cores shared with wrk; {args.devices} devices, "
        f"{args.seconds:.0f} s per run, every 5th request sent twice"
    )
    print(
        f"{'taps per request':>17} {'requests/s':>11} {'taps/s':>8} {'non-200':>8} {'exact':>6} "
        f"{'web CPU ms/req':>15} {'db CPU ms/req':>14}"
    )
    try:
        command = ["wrk", "-t2", f"-c{args.devices}", "-d3s"]
        command.append(f"http://127.0.0.1:{PORT}/bench/hello/")
        hello = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        floor = float(re.search(r"Requests/sec:\s+([\d.]+)", hello).group(1))
        print(f"{'DRF hello (floor)':>17} {floor:>11.0f}")
        for per_request in (1, 10):
            event, token = make_event_and_marshal()
            path = f"/dashboard/events/{event.pk}/taps/"
            result = wrk(path, token, args.devices, args.seconds, per_request, server)
            time.sleep(1)  # requests still under way when wrk stopped
            stored = Tap.objects.filter(event=event).count()
            total = selectors.tally(event, event.starts_at).entries
            in_flight = args.devices * per_request
            exact = (
                stored == total and result["accepted"] <= stored <= result["accepted"] + in_flight
            )
            failures = result["requests"] - result["answered"]
            print(
                f"{per_request:>17} {result['rps']:>11.0f} "
                f"{result['accepted'] / result['seconds']:>8.0f} {failures:>8} "
                f"{'yes' if exact else 'NO':>6} "
                f"{result['web_cpu']:>15.2f} {result['db_cpu']:>14.2f}"
            )
            print(
                f"{'':>17} {result['accepted']} taps accepted as new, {stored} stored, "
                f"total {total}"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
