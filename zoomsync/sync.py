"""Bringing Zoom in line with the database: the meeting of an event, the
registrant of a registration. Each function calls Zoom and stores what it
answered; it may run twice (ids are stored at once, and a create whose answer
was lost is looked up before it is repeated). Called from jobs only
(zoomsync.services.run_job), never from a web request.
"""

import contextlib
import hashlib
import json
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from events import services as event_services
from events import zoom
from events.models import Event, Language, OnlineMeeting
from registrations.models import Registration
from zoomsync.models import ZoomMeeting, ZoomRegistrant

MAX_INTERPRETERS = 20
# Zoom requires a first name; a person who gave none is registered as this.
NAMELESS = "Guest"


class MeetingGone(Exception):
    """Zoom no longer has the event's meeting (its id is forgotten here)."""

    def __init__(self, event_id: int):
        super().__init__(f"the meeting of event {event_id} is gone from Zoom")
        self.event_id = event_id


def meeting_record(event: Event) -> ZoomMeeting:
    record = ZoomMeeting.objects.filter(event=event).first()
    if record is not None:
        return record
    try:
        with transaction.atomic():
            return ZoomMeeting.objects.create(event=event, reference=secrets.token_hex(16))
    except IntegrityError:
        return ZoomMeeting.objects.get(event=event)


def sync_meeting(*, event_id: int) -> bool:
    """Create, update or cancel the event's Zoom meeting (Zoom calls).

    Returns True when the meeting was created or changed and registers
    people, so the registrants Zoom does not have yet must be queued.
    """
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return False
    record = meeting_record(event)
    client = zoom.client()
    if event.status == Event.Status.CANCELLED or not event.is_online:
        if record.meeting_id is not None:
            with contextlib.suppress(zoom.NotFound):  # deleted in Zoom already
                client.delete_meeting(record.meeting_id)
            forget_meeting(record, event)
        return False
    if record.meeting_id is None and event.visibility == Event.Visibility.DRAFT:
        return False  # created when published
    fields = meeting_fields(event, record)
    fingerprint = fingerprint_of(fields)
    if record.meeting_id is None:
        meeting = create_meeting(client, record, fields)
    elif fingerprint != record.synced_fingerprint:
        try:
            client.update_meeting(record.meeting_id, **fields)
            meeting = client.get_meeting(record.meeting_id)
        except zoom.NotFound:
            # Deleted in Zoom (by hand, say): make a new one, and register
            # everyone again, rather than fail on every change from now on.
            forget_meeting(record, event)
            meeting = create_meeting(client, record, fields)
    else:
        return False
    record.uses_registration = fields["settings"]["approval_type"] == 0
    record.synced_fingerprint = fingerprint
    record.interpretation_applied = interpretation_applied(fields["settings"], meeting.settings)
    record.save(update_fields=["uses_registration", "synced_fingerprint", "interpretation_applied"])
    store_link(event, join_url=meeting.join_url, passcode=meeting.password)
    return record.uses_registration


def create_meeting(client: zoom.ZoomClient, record: ZoomMeeting, fields: dict) -> zoom.Meeting:
    """Create the meeting, or find the one an earlier attempt created."""
    found = client.find_meeting(fields["agenda"]) if record.create_attempted else None
    if found is None:
        ZoomMeeting.objects.filter(pk=record.pk).update(create_attempted=True)
        meeting = client.create_meeting(**fields)
    else:
        meeting = found
    record.meeting_id = meeting.id
    record.create_attempted = False
    record.save(update_fields=["meeting_id", "create_attempted"])
    if found is not None:  # it may carry older settings, and lists carry no passcode
        client.update_meeting(meeting.id, **fields)
        meeting = client.get_meeting(meeting.id)
    return meeting


def forget_meeting(record: ZoomMeeting, event: Event) -> None:
    link = OnlineMeeting.objects.filter(event=event).first()
    if link is not None and link.join_url:
        store_link(event, join_url="", passcode="")
    record.meeting_id = None
    record.synced_fingerprint = ""
    record.uses_registration = False
    record.save(update_fields=["meeting_id", "synced_fingerprint", "uses_registration"])
    ZoomRegistrant.objects.filter(registration__event=event).update(registrant_id="", join_url="")


def store_link(event: Event, *, join_url: str, passcode: str) -> None:
    """Put Zoom's link where a hand-typed one goes, keeping the reveal window."""
    current = OnlineMeeting.objects.filter(event=event).first()
    if current is not None and (current.join_url, current.passcode) == (join_url, passcode):
        return
    event_services.set_meeting_link(
        event=event,
        join_url=join_url,
        passcode=passcode[:64],
        reveal_minutes_before=current.reveal_minutes_before if current else 30,
    )


def meeting_fields(event: Event, record: ZoomMeeting) -> dict:
    registration = settings.ZOOM_REGISTRATION and not event.is_anonymous
    meeting_settings = zoom.meeting_settings(
        registration=registration, anonymous=event.is_anonymous
    )
    meeting_settings.update(zoom.interpretation_settings(**interpreter_channels(record)))
    minutes = max(int((event.ends_at - event.starts_at).total_seconds() // 60), 1)
    return {
        "topic": event.title,
        "start": event.starts_at,
        "duration_minutes": minutes,
        "timezone": event.timezone,
        "agenda": f"ref:{record.reference}",
        "recurring": event.is_recurring,
        "settings": meeting_settings,
    }


def interpreter_channels(record: ZoomMeeting) -> dict:
    """Zoom's spoken and sign channels from (email, source code, target code)."""
    codes = {code for _, source, target in record.interpreters for code in (source, target)}
    languages = Language.objects.in_bulk(list(codes))
    spoken, signed = [], []
    for email, source, target in record.interpreters:
        into, out_of = languages.get(target), languages.get(source)
        if into is not None and into.is_sign_language:
            signed.append((email, zoom_language(into)))
        elif into is not None and out_of is not None:
            spoken.append((email, zoom_language(out_of), zoom_language(into)))
    return {"spoken": spoken[:MAX_INTERPRETERS], "signed": signed[:MAX_INTERPRETERS]}


def zoom_language(language: Language) -> str:
    # Without a Zoom name the language must exist as a custom language of the
    # account, under its English name.
    return language.zoom_name or language.name


def interpretation_applied(sent: dict, answer: dict) -> bool:
    """Zoom silently drops interpretation on plans without it: read it back."""
    wanted = sent.get("language_interpretation", {}).get("enable", False)
    got = (answer.get("language_interpretation") or {}).get("enable", False)
    return not wanted or bool(got)


def fingerprint_of(fields: dict) -> str:
    plain = {**fields, "start": zoom.in_utc(fields["start"]).isoformat()}
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


# Registrants


def sync_registrant(*, registration_id: int) -> None:
    """Add a confirmed registrant to Zoom, or cancel one who left (Zoom calls).

    Sends only the email and a first name, the fields Zoom requires; never
    anything for an anonymous event.
    """
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.event.is_anonymous:
        return
    record = ZoomMeeting.objects.filter(event_id=registration.event_id).first()
    if record is None or record.meeting_id is None:
        return  # the meeting's sync queues registrants once it exists
    person = ZoomRegistrant.objects.get_or_create(registration=registration)[0]
    wanted = (
        record.uses_registration
        and registration.status == Registration.Status.CONFIRMED
        and bool(registration.email)
    )
    client = zoom.client()
    if wanted and not person.registrant_id:
        try:
            add_registrant(client, record, registration, person)
        except zoom.NotFound:
            # The meeting is gone from Zoom: the meeting's job makes it anew
            # and registers everyone again.
            forget_meeting(record, registration.event)
            raise MeetingGone(registration.event_id) from None
    elif not wanted and person.registrant_id:
        with contextlib.suppress(zoom.NotFound):  # gone already
            client.cancel_registrant(
                record.meeting_id, registrant_id=person.registrant_id, email=registration.email
            )
        person.registrant_id, person.join_url = "", ""
        person.save(update_fields=["registrant_id", "join_url"])


def add_registrant(
    client: zoom.ZoomClient,
    record: ZoomMeeting,
    registration: Registration,
    person: ZoomRegistrant,
) -> None:
    found = None
    if person.add_attempted:  # an earlier answer was lost: Zoom may have them
        found = client.find_registrant(record.meeting_id, email=registration.email)
    if found is None:
        ZoomRegistrant.objects.filter(pk=person.pk).update(add_attempted=True)
        found = client.add_registrant(
            record.meeting_id,
            email=registration.email,
            first_name=registration.name or NAMELESS,
        )
    person.registrant_id, person.join_url = found.id, found.join_url
    person.add_attempted = False
    person.save(update_fields=["registrant_id", "join_url", "add_attempted"])
