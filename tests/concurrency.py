"""Running work at the same moment in several threads, each with its own
database connection (for races against a real PostgreSQL)."""

import threading

from django.db import connection


def run_at_once(*jobs, timeout: float = 60) -> None:
    """Run each job in its own thread, all released together; fail on any error."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # reported below, as the test's failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == []
