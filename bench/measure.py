"""What the benchmarks share."""

import os
import subprocess
from pathlib import Path


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
