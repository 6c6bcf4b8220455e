"""Organizers see the Zoom jobs that gave up, for their own events, and retry them."""

import pytest

from events.models import Event
from tests import factories
from tests.zoom_server import Fault
from tests.zoomsync.test_meetings import settle
from zoomsync.models import ZoomJob, ZoomMeeting

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def failed_job(zoom_server, organization, settings):
    settings.ZOOM_RETRY_BACKOFF = [0.01]
    zoom_server.plan(*[Fault("error", status=502)] * 2)
    event = factories.make_event(organization, format=Event.Format.ONLINE, title="Legal clinic")
    settle()
    job = ZoomJob.objects.get(event=event)
    assert job.state == ZoomJob.State.FAILED
    return job


def test_failed_jobs_are_listed_for_their_organizers_only(
    client, failed_job, organizer, other_organizer
):
    client.force_login(organizer)
    page = client.get("/admin/zoomsync/zoomjob/?state=failed").content.decode()
    assert "Legal clinic" in page and "Zoom answered 502" in page
    client.force_login(other_organizer)
    page = client.get("/admin/zoomsync/zoomjob/").content.decode()
    assert "Legal clinic" not in page


def test_the_retry_action_runs_the_job_again(client, failed_job, organizer):
    client.force_login(organizer)
    response = client.post(
        "/admin/zoomsync/zoomjob/",
        {"action": "retry_selected", "_selected_action": [failed_job.pk]},
        follow=True,
    )
    assert "1 Zoom job queued again." in response.content.decode()
    assert ZoomJob.objects.count() == 0
    assert ZoomMeeting.objects.get(event=failed_job.event).meeting_id is not None
