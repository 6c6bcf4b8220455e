import datetime as dt

import pytest

from events import services
from events.models import Event
from tests import factories
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
