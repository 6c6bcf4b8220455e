"""Every change of state of the catalogue: the admin, the API and the demo
loader all come through here."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events import signals
from events.models import (
    Campaign,
    Event,
    EventTranslation,
    EventUpdate,
    EventUpdateTranslation,
    Language,
    OnlineMeeting,
    Venue,
)

# A change to any of these moves people (time, place or status), so the
# event's iCalendar SEQUENCE must go up.
SCHEDULE_FIELDS = (
    "starts_at",
    "ends_at",
    "timezone",
    "recurrence",
    "recurrence_exceptions",
    "venue_id",
    "format",
    "status",
)
VENUE_PLACE_FIELDS = (
    "name",
    "street_address",
    "unit",
    "city",
    "province",
    "postal_code",
    "directions",
    "latitude",
    "longitude",
)


class EventError(Exception):
    """A rule of the catalogue was broken; the message is for a person."""


def unique_event_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """Return a free slug made from the title ("vigil", "vigil-2", ...)."""
    base = (slugify(title, allow_unicode=False) or "event")[:70]
    taken = set(
        Event.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


@transaction.atomic
def save_event(
    *,
    event: Event,
    interpretation_languages: Iterable[Language] | None = None,
    translations: Iterable[dict] | None = None,
) -> Event:
    """Validate and store an event, new or changed.

    Bumps ``sequence`` when the time, place or status changed, so calendars
    replace their copy. ``translations`` (dicts of language, title,
    description, directions), when given, replace the event's translations.
    Raises ``django.core.exceptions.ValidationError``.
    """
    if not event.slug:
        event.slug = unique_event_slug(event.title, exclude_pk=event.pk)
    event.full_clean()
    moved = False
    if event.pk is not None:
        stored = (
            Event.objects.select_for_update()
            .filter(pk=event.pk)
            .values("sequence", *SCHEDULE_FIELDS)
            .first()
        )
        if stored is not None:
            event.sequence = stored["sequence"]
            moved = any(stored[name] != getattr(event, name) for name in SCHEDULE_FIELDS)
            event.sequence += int(moved)
    created = event.pk is None
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:
        raise EventError(
            _("Another event was saved with the same address at the same moment. Try again.")
        ) from error
    if interpretation_languages is not None:
        event.interpretation_languages.set(interpretation_languages)
    if translations is not None:
        replace_translations(event=event, translations=translations)
    signals.event_saved.send(sender=Event, event=event, created=created, moved=moved)
    return event


@transaction.atomic
def save_venue(*, venue: Venue) -> Venue:
    """Validate and store a venue; a moved venue bumps its events' sequence."""
    venue.full_clean()
    if venue.pk is not None:
        stored = Venue.objects.filter(pk=venue.pk).values(*VENUE_PLACE_FIELDS).first()
        moved = stored is not None and any(
            stored[name] != getattr(venue, name) for name in VENUE_PLACE_FIELDS
        )
        if moved:
            Event.objects.filter(venue=venue).update(sequence=F("sequence") + 1)
    venue.save()
    return venue


@transaction.atomic
def post_event_update(
    *,
    event: Event,
    body: str,
    posted_at: dt.datetime | None = None,
    translations: dict[str, str] | None = None,
) -> EventUpdate:
    """Publish a timestamped update on the event's page (now, unless told when),
    with the same update in other languages ({language code: text}, blanks skipped)."""
    update = EventUpdate(event=event, body=body.strip(), created_at=posted_at or timezone.now())
    update.full_clean()
    update.save()
    for language, text in (translations or {}).items():
        if text.strip() and language != event.content_language:
            translated = EventUpdateTranslation(update=update, language=language, body=text.strip())
            translated.full_clean()
            translated.save()
    return update


def replace_translations(*, event: Event, translations: Iterable[dict]) -> None:
    """Make the event's translations exactly these, one per language."""
    wanted = {values["language"]: values for values in translations}
    event.translations.exclude(language__in=wanted).delete()
    for language, values in wanted.items():
        translation = event.translations.filter(language=language).first()
        translation = translation or EventTranslation(event=event, language=language)
        translation.title = values["title"]
        translation.description = values.get("description", "")
        translation.directions = values.get("directions", "")
        save_event_translation(translation=translation)


def save_event_translation(*, translation: EventTranslation) -> EventTranslation:
    """Validate and store the event's title, description and directions in one language."""
    if translation.language == translation.event.content_language:
        raise EventError(
            _("This is the event's own language: change the title and description instead.")
        )
    translation.full_clean()
    translation.save()
    return translation


def set_meeting_link(
    *, event: Event, join_url: str, passcode: str = "", reveal_minutes_before: int = 30
) -> OnlineMeeting:
    """Store the join link of an online event, entered by hand (no Zoom)."""
    meeting = OnlineMeeting.objects.filter(event=event).first() or OnlineMeeting(event=event)
    meeting.join_url = join_url
    meeting.passcode = passcode
    meeting.reveal_minutes_before = reveal_minutes_before
    meeting.full_clean()
    meeting.save()
    return meeting


def save_campaign(*, campaign: Campaign) -> Campaign:
    """Validate and store a campaign (a day or days of action)."""
    if not campaign.slug:
        campaign.slug = slugify(campaign.name)[:50] or "campaign"
    campaign.full_clean()
    campaign.save()
    return campaign
