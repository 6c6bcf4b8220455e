"""Who looked at personal data, and the scheduled deletion of what expired."""

import datetime as dt
import logging

from django.utils import timezone
from django_q.models import Task

from events.models import Event, Organization
from privacy.models import PersonalDataAccess
from registrations import retention

logger = logging.getLogger(__name__)

Action = PersonalDataAccess.Action
# Finished background tasks keep their arguments; none outlives this.
TASK_RECORDS_KEPT = dt.timedelta(days=1)


def record_access(*, user, event: Event, action: str, where: str) -> None:
    """Note that an organizer saw or exported personal data of an event."""
    PersonalDataAccess.objects.create(
        user=user,
        username=user.get_username(),
        organization_id=event.organization_id,
        event=event,
        action=action,
        where=where,
    )


def purge_expired(now: dt.datetime | None = None) -> dict[str, int]:
    """Everything the scheduled job deletes; returns counts only."""
    now = now or timezone.now()
    report = retention.purge_expired(now)
    report["access_records"] = 0
    for organization in Organization.objects.only("pk", "personal_data_days"):
        deleted, _ = PersonalDataAccess.objects.filter(
            organization=organization,
            at__lt=now - dt.timedelta(days=organization.personal_data_days),
        ).delete()
        report["access_records"] += deleted
    report["task_records"], _ = Task.objects.filter(stopped__lt=now - TASK_RECORDS_KEPT).delete()
    logger.info(
        "expired data deleted: %(access_records)s access records, %(task_records)s task records",
        report,
    )
    return report
