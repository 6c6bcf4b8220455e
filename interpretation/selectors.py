"""Named reads: who may coordinate, the coverage of events, the interpreter's page."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Campaign, Event, Language, Organization, Role
from interpretation import rules
from interpretation.models import DEFAULT_THRESHOLD, Assignment, Interpreter, Plan
from registrations.models import Registration

Status = Assignment.Status
COORDINATING_ROLES = (Role.INTERPRETATION_COORDINATOR, Role.ORGANIZER)


def coordinated_organizations(user):
    """Organizations whose interpretation the user plans (all for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(
        memberships__user=user, memberships__role__in=COORDINATING_ROLES
    ).distinct()


def is_coordinator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.memberships.filter(role__in=COORDINATING_ROLES).exists()


def coordinated_events(user):
    return Event.objects.filter(organization__in=coordinated_organizations(user))


def coordinated_interpreters(user):
    return Interpreter.objects.filter(organization__in=coordinated_organizations(user))


# Coverage ----------------------------------------------------------------------


class State:
    COVERED = "covered"
    NEEDS_RELIEF = "needs_relief"
    UNCOVERED = "uncovered"
    DECLINED = "declined"


STATE_LABELS = {
    State.COVERED: _("covered"),
    State.NEEDS_RELIEF: _("needs relief"),
    State.UNCOVERED: _("uncovered"),
    State.DECLINED: _("declined"),
}


# Breakdowns of anonymous events under this many people are not shown exactly.
SMALL = 5


@dataclass
class Need:
    """One language an event needs, and how far it is covered."""

    language: Language
    offered: bool
    requested: int
    flagged: bool  # asked for by at least the threshold, and not offered
    needed: int  # interpreters: 2 for a session over 60 minutes
    accepted: list[Assignment] = field(default_factory=list)
    pending: list[Assignment] = field(default_factory=list)  # proposed or invited
    declined: list[Assignment] = field(default_factory=list)
    # Anonymous events: 1 to 4 registrants show as "fewer than 5" (the
    # privacy model's rule for small breakdowns); flagging uses the count.
    anonymous: bool = False

    @property
    def requested_is_small(self) -> bool:
        return self.anonymous and 0 < self.requested < SMALL

    @property
    def requested_shown(self) -> int | None:
        return None if self.requested_is_small else self.requested

    @property
    def state(self) -> str:
        if len(self.accepted) >= self.needed:
            return State.COVERED
        if self.accepted:
            return State.NEEDS_RELIEF
        if self.declined and not self.pending:
            return State.DECLINED
        return State.UNCOVERED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class EventCoverage:
    event: Event
    needs: list[Need]
    threshold: int
    requested_below: list[tuple[Language, int]]  # asked for, under the threshold

    @property
    def flagged(self) -> list[Need]:
        return [need for need in self.needs if need.flagged]

    @property
    def city(self) -> str:
        return self.event.venue.city if self.event.venue else str(_("Online"))


def coverage_events(queryset):
    """Events with what coverage reads, soonest first, in a fixed number of queries."""
    return (
        queryset.select_related("venue", "language", "campaign", "interpretation_plan")
        .prefetch_related("interpretation_languages")
        .order_by("starts_at", "pk")
    )


def coverage(events) -> list[EventCoverage]:
    """Each event's needed languages as covered, needs relief, uncovered or declined.

    Five queries whatever the number of events: the events, their offered
    languages, the request counts, the assignments and the languages.
    """
    events = list(events)
    ids = [event.pk for event in events]
    languages = {language.pk: language for language in Language.objects.all()}
    requests: dict[int, dict[str, int]] = {}
    for event_id, code, count in (
        Registration.objects.filter(event_id__in=ids, interpretation_language__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("event_id", "interpretation_language_id")
        .annotate(count=Count("pk"))
        .values_list("event_id", "interpretation_language_id", "count")
    ):
        requests.setdefault(event_id, {})[code] = count
    assignments: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(event_id__in=ids)
        .select_related("interpreter")
        .order_by("role", "pk")
    ):
        assignments.setdefault(assignment.event_id, []).append(assignment)
    return [
        event_coverage(event, requests.get(event.pk, {}), assignments.get(event.pk, []), languages)
        for event in events
    ]


def event_coverage(event, requested, assignments, languages) -> EventCoverage:
    plan = plan_of(event)
    threshold = plan.request_threshold if plan else DEFAULT_THRESHOLD
    offered = {language.pk for language in event.interpretation_languages.all()}
    flagged = {
        code
        for code, count in requested.items()
        if count >= threshold and code not in offered and code != event.language_id
    }
    assigned = {a.target_id for a in assignments if a.status in Assignment.ACTIVE}
    codes = (offered | flagged | assigned) - {event.language_id}
    needed = rules.interpreters_needed(event)
    needs = []
    for code in sorted(codes, key=lambda code: languages[code].name):
        need = Need(
            language=languages[code],
            offered=code in offered,
            requested=requested.get(code, 0),
            flagged=code in flagged,
            needed=needed,
            anonymous=event.is_anonymous,
        )
        for assignment in assignments:
            if assignment.target_id == code:
                bucket = {
                    Status.ACCEPTED: need.accepted,
                    Status.PROPOSED: need.pending,
                    Status.INVITED: need.pending,
                    Status.DECLINED: need.declined,
                }.get(assignment.status)
                if bucket is not None:
                    bucket.append(assignment)
        needs.append(need)
    below = sorted(
        (
            (languages[code], None if event.is_anonymous and count < SMALL else count)
            for code, count in requested.items()
            if code not in codes and code != event.language_id
        ),
        key=lambda pair: pair[0].name,
    )
    return EventCoverage(event=event, needs=needs, threshold=threshold, requested_below=below)


def event_assignments(event: Event):
    return (
        Assignment.objects.filter(event=event)
        .select_related("interpreter", "source", "target")
        .order_by("target__name", "role", "pk")
    )


def plan_of(event: Event) -> Plan | None:
    try:
        return event.interpretation_plan
    except Plan.DoesNotExist:
        return None


def upcoming_coverage(user, *, now: dt.datetime | None = None) -> list[EventCoverage]:
    """The coordinator's upcoming events that need or offer interpretation, soonest first."""
    now = now or timezone.now()
    events = coordinated_events(user).upcoming(now).exclude(status=Event.Status.CANCELLED)
    return [item for item in coverage(coverage_events(events)) if item.needs]


def campaign_coverage(campaign: Campaign) -> list[tuple[str, list[EventCoverage]]]:
    """A campaign's events grouped by city, cities in order of their first event."""
    groups: dict[str, list[EventCoverage]] = {}
    for item in coverage(coverage_events(campaign.events.all())):
        groups.setdefault(item.city, []).append(item)
    return list(groups.items())


def coordinated_campaigns(user):
    return Campaign.objects.filter(organization__in=coordinated_organizations(user)).order_by(
        "starts_on", "pk"
    )


# The interpreter's page ----------------------------------------------------------


def assignments_for_page(interpreter: Interpreter):
    """Open invitations and accepted assignments, soonest first, with their teams."""
    team = Prefetch(
        "event__interpretation_assignments",
        queryset=Assignment.objects.filter(status=Status.ACCEPTED)
        .exclude(interpreter=interpreter)
        .select_related("interpreter", "target"),
        to_attr="team",
    )
    assignments = list(
        Assignment.objects.filter(
            interpreter=interpreter, status__in=(Status.INVITED, Status.ACCEPTED)
        )
        .filter(Q(event__last_ends_at__gte=timezone.now() - dt.timedelta(days=1)))
        .select_related("event", "event__venue", "event__meeting", "source", "target")
        .prefetch_related(team)
        .order_by("event__starts_at", "pk")
    )
    for assignment in assignments:
        assignment.teammates = [
            mate for mate in assignment.event.team if mate.target_id == assignment.target_id
        ]
        assignment.alone_too_long = rules.interpreters_needed(assignment.event) > 1 + len(
            assignment.teammates
        )
    return assignments


def feed_events(interpreter: Interpreter):
    """Events of the interpreter's calendar: accepted, or accepted once and since let go."""
    return Event.objects.filter(
        interpretation_assignments__interpreter=interpreter,
        interpretation_assignments__accepted_at__isnull=False,
    ).distinct()


def feed_assignments(interpreter: Interpreter) -> dict[int, Assignment]:
    """The latest assignment per event that was accepted once."""
    rows = (
        Assignment.objects.filter(interpreter=interpreter, accepted_at__isnull=False)
        .select_related("event", "source", "target")
        .order_by("event_id", "updated_at", "pk")
    )
    return {assignment.event_id: assignment for assignment in rows}
