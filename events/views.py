"""Public pages: the upcoming-events list, an event's page, a campaign's page."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events import selectors
from events.content import localized_event
from events.forms import EventFilterForm
from events.models import Campaign, Event
from events.share import qr_svg
from events.templatetags.event_time import time_range

PAGE_SIZE = 50
UPCOMING_OCCURRENCES_SHOWN = 7


@dataclass(frozen=True)
class Listing:
    """An event as a list shows it: at its next occurrence, in its own zone."""

    event: Event
    starts: dt.datetime
    ends: dt.datetime


def listing(event: Event, now: dt.datetime) -> Listing:
    if not event.is_recurring:
        return Listing(event=event, starts=event.local_start, ends=event.local_end)
    starts, ends = event.next_occurrence(now) or event.last_occurrence()
    return Listing(event=event, starts=starts, ends=ends)


def event_list(request):
    form = EventFilterForm(request.GET)
    page = None
    if form.is_valid():
        events = selectors.upcoming_listed_events(form.filters())
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        page.listings = [listing(event, now) for event in page.object_list]
    query = _query_without_page(request)
    context = {"form": form, "page": page, "query": query, "feed": feed_links(request, query)}
    status = 400 if page is None else 200
    return render(request, "events/event_list.html", context, status=status)


def event_detail(request, slug: str):
    event = selectors.event_for_page(slug=slug, user=request.user)
    if event is None:
        raise Http404
    now = timezone.now()
    context = {
        "event": event,
        "listing": listing(event, now),
        "occurrences": (
            event.occurrences(after=now, limit=UPCOMING_OCCURRENCES_SHOWN)
            if event.is_recurring
            else []
        ),
        "updates": selectors.updates_for(event),
    }
    context["share"] = share(request, event, context["listing"])
    return render(request, "events/event_detail.html", context)


def share(request, event: Event, shown: Listing) -> dict[str, str]:
    """A short text for messaging-app groups and a QR code of the address,
    in the visitor's language."""
    url = request.build_absolute_uri(event.get_absolute_url())
    title = localized_event(event, get_language() or "en").title
    when = time_range(shown.starts, shown.ends, event.timezone)
    values = {"title": title, "when": when, "url": url}
    if event.status == Event.Status.CANCELLED:
        text = _("CANCELLED: %(title)s, %(when)s. Details: %(url)s") % values
    elif event.status == Event.Status.POSTPONED:
        text = _("POSTPONED: %(title)s (was %(when)s). Details: %(url)s") % values
    else:
        text = _("%(title)s, %(when)s. Details and registration: %(url)s") % values
    return {
        "text": text,
        "qr": qr_svg(url, label=_("QR code of the address of this page")),
    }


def campaign_detail(request, slug: str):
    campaign = get_object_or_404(Campaign, slug=slug)
    now = timezone.now()
    groups = [
        (city, [listing(event, now) for event in events])
        for city, events in selectors.campaign_events_by_city(campaign).items()
    ]
    context = {
        "campaign": campaign,
        "groups": groups,
        "feed": feed_links(request, urlencode({"campaign": campaign.slug})),
    }
    return render(request, "events/campaign_detail.html", context)


def feed_links(request, query: str) -> dict[str, str]:
    """Subscribe links to the public feed with these filters: https and webcal."""
    https = request.build_absolute_uri(reverse("events:feed") + (f"?{query}" if query else ""))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
