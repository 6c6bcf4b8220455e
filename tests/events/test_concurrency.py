import datetime as dt
import threading

import pytest
from django.db import connection

from events import services
from events.models import Event
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*jobs):
    """Run each job in its own thread and database connection, all released together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # reported below, with the test's failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


def test_concurrent_schedule_changes_each_bump_the_sequence(organization):
    event = factories.make_event(organization)

    def move_by(hours):
        def job():
            copy = Event.objects.get(pk=event.pk)
            copy.starts_at += dt.timedelta(hours=hours)
            copy.ends_at += dt.timedelta(hours=hours)
            services.save_event(event=copy)

        return job

    run_at_once(*(move_by(hours) for hours in range(1, 9)))
    event.refresh_from_db()
    assert event.sequence == 8
