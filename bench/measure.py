"""What the benchmarks share."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(server: subprocess.Popen) -> tuple[float, float]:
    """CPU time used so far by the gunicorn processes and by the database's
    backends for the benchmark database (other work on the machine aside)."""
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    web = database_cpu = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        parent = int(fields[1])
        if entry.name == str(server.pid) or parent == server.pid:
            web += used
        elif command.startswith("postgres: ") and f" {database} " in command:
            database_cpu += used
    return web, database_cpu


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn as deployed (config/gunicorn.py: gthread workers, the masked
    access log, discarded here) on ``port``, once it answers."""
    command = [
        sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--backlog", "2048", "--log-level", "warning", "config.wsgi:application",
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    for _ in range(100):
        if server.poll() is not None:
            break  # it stopped: its error is above
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")
