"""Test data built through the same services the product uses."""

import datetime as dt
import importlib
import itertools
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from events import services
from events.models import Campaign, Event, Language, Membership, Organization, Role, Venue

_numbers = itertools.count(1)


def ensure_languages() -> None:
    """Put back the languages the migration seeds, after a flush removed them."""
    if not Language.objects.exists():
        seed = importlib.import_module("events.migrations.0002_languages")
        seed.add_languages(django_apps, None)


def make_organization(name: str = "") -> Organization:
    number = next(_numbers)
    return Organization.objects.create(name=name or f"Group {number}", slug=f"group-{number}")


def make_user(*, organization: Organization | None = None, role: str = Role.ORGANIZER, **extra):
    user = get_user_model().objects.create_user(
        username=extra.pop("username", f"person{next(_numbers)}"),
        password="a long test password",
        is_staff=extra.pop("is_staff", True),
        **extra,
    )
    if organization is not None:
        Membership.objects.create(organization=organization, user=user, role=role)
    return user


def make_venue(organization: Organization, **values) -> Venue:
    venue = Venue(
        organization=organization,
        name=values.pop("name", "Community hall"),
        street_address=values.pop("street_address", "100 Queen Street West"),
        city=values.pop("city", "Toronto"),
        province=values.pop("province", "ON"),
        **values,
    )
    return services.save_venue(venue=venue)


def make_campaign(organization: Organization, **values) -> Campaign:
    today = timezone.localdate()
    campaign = Campaign(
        organization=organization,
        name=values.pop("name", f"Day of action {next(_numbers)}"),
        starts_on=values.pop("starts_on", today + dt.timedelta(days=3)),
        ends_on=values.pop("ends_on", today + dt.timedelta(days=4)),
        **values,
    )
    return services.save_campaign(campaign=campaign)


def local(zone: str, days: int, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime ``days`` from today at a wall-clock time in ``zone``."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))


def make_event(organization: Organization, *, interpretation=(), **values) -> Event:
    zone = values.pop("timezone", "America/Toronto")
    starts = values.pop("starts_at", local(zone, 2, 12))
    event = Event(
        organization=organization,
        title=values.pop("title", f"Rally {next(_numbers)}"),
        kind=values.pop("kind", Event.Kind.RALLY),
        starts_at=starts,
        ends_at=values.pop("ends_at", starts + dt.timedelta(hours=2)),
        timezone=zone,
        visibility=values.pop("visibility", Event.Visibility.LISTED),
        **values,
    )
    if "venue" not in values and event.format == Event.Format.IN_PERSON:
        event.venue = make_venue(organization)
    languages = Language.objects.filter(code__in=interpretation)
    return services.save_event(event=event, interpretation_languages=languages)


def make_assembly(organization: Organization, **values) -> Event:
    """An anonymous online assembly, by default in two days at 7 pm Toronto time."""
    starts = values.pop("starts_at", None) or local("America/Toronto", 2, 19)
    return make_event(
        organization,
        title=values.pop("title", "Assembly for status"),
        kind=Event.Kind.ASSEMBLY,
        format=Event.Format.ONLINE,
        privacy=Event.Privacy.ANONYMOUS,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        **values,
    )
