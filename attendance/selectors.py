"""Named reads for the dashboards: who may see what, and the figures.

Every figure comes from a fixed number of aggregate queries, whatever the
number of registrations: the dashboard of an event with 100,000 registrations
costs the same queries as one with ten.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from attendance.models import CheckIn, MarshalAssignment, OnlineCount, TallyCount, Tap
from attendance.occurrences import current_occurrence
from config import rows
from events.models import Campaign, Event, Language, Membership, Role
from registrations.models import Registration, Tally

Status = Registration.Status
SMALL = 5  # breakdowns under this many people are shown as "fewer than 5"


# Who may see what


def organizer_events(user):
    """Events of the organizations where the user is an organizer (all for a superuser)."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser:
        return Event.objects.all()
    return Event.objects.filter(
        organization__memberships__user=user, organization__memberships__role=Role.ORGANIZER
    ).distinct()


def marshal_events(user):
    """Events the user is assigned to as a marshal."""
    if not user.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(marshal_assignments__user=user)


def can_organize(user, event: Event) -> bool:
    return organizer_events(user).filter(pk=event.pk).exists()


def event_to_count(user, event_id: int) -> Event | None:
    """The event if the user may count and check in there: a marshal assigned
    to it, an organizer of its organization, or a superuser.

    The marshals' phones ask on every tap, so it is one plain statement,
    with no query to build each time.
    """
    if not user.is_authenticated:
        return None
    parameters = [event_id, user.is_superuser, user.pk, user.pk, Role.ORGANIZER.value]
    return rows.first(Event, _event_to_count_sql(), parameters)


@functools.cache
def _event_to_count_sql() -> str:
    event, marshal = Event._meta.db_table, MarshalAssignment._meta.db_table
    member = Membership._meta.db_table
    return (
        f"SELECT {rows.columns(Event, 'e')} FROM {event} e "  # noqa: S608 (our names only)
        "WHERE e.id = %s AND (%s "
        f"OR EXISTS (SELECT 1 FROM {marshal} m WHERE m.event_id = e.id AND m.user_id = %s) "
        f"OR EXISTS (SELECT 1 FROM {member} o WHERE o.organization_id = e.organization_id "
        "AND o.user_id = %s AND o.role = %s))"
    )


def is_coordinator(user) -> bool:
    return (
        user.is_authenticated
        and user.memberships.filter(role=Role.INTERPRETATION_COORDINATOR).exists()
    )


def dashboard_events(user):
    """Events still to come (or going on) first, soonest first; then those over,
    the latest first."""
    over = Case(When(last_ends_at__lte=timezone.now(), then=Value(1)), default=Value(0))
    return (
        organizer_events(user)
        .select_related("venue", "campaign")
        .annotate(over=over)
        .order_by(
            "over",
            Case(When(over=0, then=F("starts_at"))).asc(nulls_last=True),
            F("last_ends_at").desc(nulls_last=True),
            "pk",
        )
    )


def campaigns_for(user):
    if user.is_superuser:
        return Campaign.objects.order_by("-starts_on")
    return (
        Campaign.objects.filter(
            organization__memberships__user=user, organization__memberships__role=Role.ORGANIZER
        )
        .distinct()
        .order_by("-starts_on")
    )


# Figures


@dataclass
class EventFigures:
    confirmed_people: int = 0
    confirmed_registrations: int = 0
    waitlisted_people: int = 0
    waitlisted_registrations: int = 0
    cancelled_registrations: int = 0
    languages: list[tuple[str, int]] = field(default_factory=list)  # (language, people)
    by_day: list[tuple[dt.date, int]] = field(default_factory=list)  # registrations per day
    checked_in_people: int = 0
    checked_in_registrations: int = 0
    entries: int = 0
    exits: int = 0
    devices: list[tuple[str, int, int]] = field(default_factory=list)  # (device, in, out)
    online_now: int | None = None
    online_peak: int | None = None

    @property
    def inside(self) -> int:
        return self.entries - self.exits


def event_figures(event: Event, occurrence: dt.datetime) -> EventFigures:
    """Everything the event's dashboard shows, in six queries."""
    figures = EventFigures()
    _registration_figures(event, figures)
    _checkin_figures([(event, occurrence)], {event.pk: figures})
    _tap_figures([(event, occurrence)], {event.pk: figures}, per_device=True)
    _online_figures([(event, occurrence)], {event.pk: figures})
    return figures


def _registration_figures(event: Event, figures: EventFigures) -> None:
    """One pass over the registrations, grouped by status, language and day."""
    rows = (
        Registration.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=event.zone))
        .values("status", "interpretation_language_id", "day")
        .annotate(registrations=Count("pk"), people=Sum("party_size"))
        .order_by()
    )
    languages: dict[str | None, int] = {}
    days: dict[dt.date, int] = {}
    for row in rows:
        status, people, count = row["status"], row["people"], row["registrations"]
        days[row["day"]] = days.get(row["day"], 0) + count
        if status == Status.CANCELLED:
            figures.cancelled_registrations += count
            continue
        if status == Status.CONFIRMED:
            figures.confirmed_people += people
            figures.confirmed_registrations += count
        else:
            figures.waitlisted_people += people
            figures.waitlisted_registrations += count
        code = row["interpretation_language_id"]
        languages[code] = languages.get(code, 0) + people
    # Registrations whose personal data was deleted are counted in the tally.
    tally = Tally.objects.filter(event=event).first()
    if tally is not None:
        _add_tally(figures, tally)
        for code, people in tally.languages_needed.items():
            languages[code] = languages.get(code, 0) + people
    names = dict(Language.objects.values_list("code", "name")) if languages else {}
    figures.languages = sorted(
        ((names.get(code, code) if code else "", people) for code, people in languages.items()),
        key=lambda pair: (-pair[1], pair[0]),
    )
    figures.by_day = sorted(days.items())


def _add_tally(figures: EventFigures, tally: Tally) -> None:
    figures.confirmed_people += tally.confirmed_people
    figures.confirmed_registrations += tally.confirmed_registrations
    figures.waitlisted_people += tally.waitlisted_people
    figures.waitlisted_registrations += tally.waitlisted_registrations
    figures.cancelled_registrations += tally.cancelled_registrations


def _occurrence_filter(pairs) -> Q:
    condition = Q(pk__in=[])
    for event, occurrence in pairs:
        condition |= Q(event_id=event.pk, occurrence=occurrence)
    return condition


def _checkin_figures(pairs, figures_by_event) -> None:
    rows = (
        CheckIn.objects.filter(_occurrence_filter(pairs))
        .values("event_id")
        .annotate(people=Sum("people"), registrations=Count("pk"))
        .order_by()
    )
    for row in rows:
        figures = figures_by_event[row["event_id"]]
        figures.checked_in_people = row["people"]
        figures.checked_in_registrations = row["registrations"]


def _tap_figures(pairs, figures_by_event, *, per_device: bool = False) -> None:
    # The running totals per device (a few rows), not the taps themselves.
    rows = TallyCount.objects.filter(_occurrence_filter(pairs)).values(
        "event_id", "direction", "device", "total"
    )
    devices: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        figures = figures_by_event[row["event_id"]]
        if row["direction"] == Tap.Direction.IN:
            figures.entries += row["total"]
        else:
            figures.exits += row["total"]
        if per_device:
            counts = devices.setdefault((row["event_id"], row["device"]), [0, 0])
            counts[0 if row["direction"] == Tap.Direction.IN else 1] += row["total"]
    for (event_id, device), (entries, exits) in sorted(devices.items()):
        figures_by_event[event_id].devices.append((device, entries, exits))


def _online_figures(pairs, figures_by_event) -> None:
    rows = OnlineCount.objects.filter(_occurrence_filter(pairs)).values("event_id", "now", "peak")
    for row in rows:
        figures = figures_by_event[row["event_id"]]
        figures.online_now, figures.online_peak = row["now"], row["peak"]


# Campaign roll-up


@dataclass
class CityRow:
    event: Event
    city: str
    occurrence: dt.datetime
    figures: EventFigures


def campaign_rollup(campaign: Campaign, now: dt.datetime) -> tuple[list[CityRow], EventFigures]:
    """Each of the campaign's events with its figures, and the totals, in six queries."""
    events = list(
        Event.objects.filter(campaign=campaign)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("venue")
        .order_by("starts_at", "pk")
    )
    pairs = [(event, current_occurrence(event, now)) for event in events]
    figures_by_event = {event.pk: EventFigures() for event in events}
    rows = (
        Registration.objects.filter(event__in=events)
        .values("event_id", "status")
        .annotate(registrations=Count("pk"), people=Sum("party_size"))
        .order_by()
    )
    for row in rows:
        figures = figures_by_event[row["event_id"]]
        if row["status"] == Status.CONFIRMED:
            figures.confirmed_people = row["people"]
            figures.confirmed_registrations = row["registrations"]
        elif row["status"] == Status.WAITLISTED:
            figures.waitlisted_people = row["people"]
            figures.waitlisted_registrations = row["registrations"]
        else:
            figures.cancelled_registrations = row["registrations"]
    for tally in Tally.objects.filter(event__in=events):
        _add_tally(figures_by_event[tally.event_id], tally)
    if events:
        _checkin_figures(pairs, figures_by_event)
        _tap_figures(pairs, figures_by_event)
        _online_figures(pairs, figures_by_event)
    city_rows = [
        CityRow(
            event=event,
            city=event.venue.city if event.venue else "",
            occurrence=occurrence,
            figures=figures_by_event[event.pk],
        )
        for event, occurrence in pairs
    ]
    return city_rows, _totals(figures_by_event.values())


def _totals(all_figures) -> EventFigures:
    total = EventFigures(online_now=0, online_peak=0)
    for figures in all_figures:
        for name in (
            "confirmed_people",
            "confirmed_registrations",
            "waitlisted_people",
            "waitlisted_registrations",
            "cancelled_registrations",
            "checked_in_people",
            "checked_in_registrations",
            "entries",
            "exits",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.online_now += figures.online_now or 0
        total.online_peak += figures.online_peak or 0
    return total


# Rows, for the export of standard events


def registrations_for_export(event: Event):
    """Registrations of a standard event as the CSV lists them, read in chunks."""
    return (
        Registration.objects.filter(event=event)
        .select_related("interpretation_language")
        .order_by("created_at", "pk")
    )


def assignments_of(event: Event):
    return MarshalAssignment.objects.filter(event=event).select_related("user").order_by("pk")


def small(value: int) -> bool:
    """A breakdown figure too small to show exactly (1 to 4 people)."""
    return 0 < value < SMALL


def tally(event: Event, occurrence: dt.datetime) -> EventFigures:
    """Entries and exits counted by all marshals' devices, in one query."""
    figures = EventFigures()
    _tap_figures([(event, occurrence)], {event.pk: figures})
    return figures
