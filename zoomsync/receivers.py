"""What the Zoom sync does when events, interpreters or registrations change
(connected in apps.py). Nothing here calls Zoom: jobs are queued after commit."""

import logging

from zoomsync import services

logger = logging.getLogger(__name__)


def follow_event(sender, *, event, **kwargs):
    services.follow_event(event=event)


def follow_interpreters(sender, *, event, interpreters, **kwargs):
    services.set_interpreters(event=event, interpreters=list(interpreters))


def follow_registration(sender, *, registration_id, status, email_given=True, **kwargs):
    # Sent after commit: the registration is stored whatever happens here.
    if not email_given:
        return  # nothing to tell Zoom, and no query on the way (most registrations)
    try:
        services.follow_registration(registration_id=registration_id, status=status)
    except Exception:
        logger.exception("Zoom work for registration %s not queued", registration_id)


def forget_people(sender, *, event, **kwargs):
    services.forget_people(event=event)
