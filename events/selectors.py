"""Named reads that pages, the API and feeds depend on."""

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Campaign, Event, Language, Organization, Role


@dataclass(frozen=True)
class EventFilters:
    """Validated filters of the event list, the API and the public feed."""

    city: str = ""
    kind: str = ""
    campaign: Campaign | None = None
    language: Language | None = None
    format: str = ""


def events_with_details(queryset=None):
    """Events with everything a list or page shows, in a fixed number of queries."""
    queryset = Event.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "venue", "campaign", "language", "organization"
    ).prefetch_related("interpretation_languages", "translations")


def filter_events(queryset, filters: EventFilters):
    if filters.city:
        queryset = queryset.filter(venue__city__iexact=filters.city)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.campaign is not None:
        queryset = queryset.filter(campaign=filters.campaign)
    if filters.language is not None:
        queryset = queryset.filter(
            Q(language=filters.language)
            | Q(
                pk__in=Event.interpretation_languages.through.objects.filter(
                    language=filters.language
                ).values("event_id")
            )
        )
    if filters.format:
        queryset = queryset.filter(format=filters.format)
    return queryset


def upcoming_listed_events(filters: EventFilters, *, now=None):
    """Listed events that have not ended yet, soonest first, filtered."""
    queryset = Event.objects.listed().upcoming(now)
    return events_with_details(filter_events(queryset, filters)).order_by("starts_at", "pk")


def cities_with_upcoming_events() -> list[str]:
    """Distinct cities of listed, upcoming events, for the city filter."""
    cities = (
        Event.objects.listed()
        .upcoming()
        .filter(venue__isnull=False)
        .values_list("venue__city", flat=True)
        .distinct()
    )
    return sorted(set(cities), key=str.casefold)


def campaign_choices():
    return Campaign.objects.filter(ends_on__gte=timezone.localdate()).order_by("starts_on")


def language_choices():
    return Language.objects.all()


def event_for_page(*, slug: str, user) -> Event | None:
    """The event at /events/<slug>/ if this visitor may see it, else None."""
    event = events_with_details().filter(slug=slug).first()
    if event is None:
        return None
    if event.visibility == Event.Visibility.DRAFT and not can_manage_event(user, event):
        return None
    return event


def can_manage_event(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return event.organization.memberships.filter(user=user, role=Role.ORGANIZER).exists()


def campaign_events_by_city(campaign: Campaign) -> "OrderedDict[str, list[Event]]":
    """The campaign's public events grouped by city, cities in order of first event."""
    events = events_with_details(campaign.events.listed()).order_by("starts_at", "pk")
    groups: OrderedDict[str, list[Event]] = OrderedDict()
    for event in events:
        city = event.venue.city if event.venue else _("Online")
        groups.setdefault(city, []).append(event)
    return groups


def updates_for(event: Event):
    return event.updates.prefetch_related("translations").order_by("-created_at")


def organizations_for(user, *, role: str = Role.ORGANIZER):
    """Organizations in which the user holds the role (all for a superuser)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(memberships__user=user, memberships__role=role).distinct()
