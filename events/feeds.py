"""Calendar files over HTTP: the per-event file and the public feed.

Answers carry an ETag and Last-Modified computed from one small query, so a
calendar app that polls gets a 304 without the calendar being built.
"""

import datetime as dt
import hashlib
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import gettext as _

from events import ical, selectors
from events.forms import EventFilterForm

# Cancelled and postponed events stay in feeds, marked, this long after they end.
KEEP_ENDED = dt.timedelta(days=30)
PUBLIC_CACHE = "public, max-age=300"


def uid_host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def calendar_response(
    request,
    events,
    *,
    name: str,
    filename: str,
    attachment: bool,
    cache_control: str = PUBLIC_CACHE,
    version_extra: str = "",
    cached: bool = False,
    **build,
):
    """200 with the calendar, or 304 when the client's copy is current.

    ``build`` goes to ical.calendar_bytes; ``version_extra`` is anything
    besides the events that changes the calendar (a registration's status).
    """
    version = events.aggregate(count=Count("pk"), changed=Max("updated_at"))
    changed = version["changed"] or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    # The text is written in the visitor's language: a copy in another one is not current.
    language = translation.get_language() or ""
    fingerprint = (
        f"{version['count']}:{changed.isoformat()}:{request.get_full_path()}:{version_extra}"
        f":{language}"
    )
    etag = quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
    if not_modified(request, etag, changed):
        response = HttpResponseNotModified()
    else:
        feed = ical.Feed(name=name, host=uid_host())
        url_for = lambda event: request.build_absolute_uri(event.get_absolute_url())  # noqa: E731
        if cached:
            body = ical.cached_feed_bytes(events, feed=feed, url_for=url_for)
        else:
            body = ical.calendar_bytes(
                events, feed=feed, url_for=url_for, now=timezone.now(), **build
            )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp())
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def not_modified(request, etag: str, changed: dt.datetime) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(changed.timestamp()) <= since


def event_file(request, slug: str):
    event = selectors.event_for_page(slug=slug, user=request.user)
    if event is None:
        raise Http404
    events = selectors.events_with_details().filter(pk=event.pk)
    return calendar_response(
        request, events, name=event.title, filename=f"{event.slug}.ics", attachment=True
    )


def public_feed(request):
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        lines = [
            f"{form.fields[field].label}: {message}"
            for field, messages in form.errors.items()
            for message in messages
        ]
        text = _("These calendar filters cannot be used:") + "\n" + "\n".join(lines) + "\n"
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    since = timezone.now() - KEEP_ENDED
    events = selectors.upcoming_listed_events(form.filters(), now=since)
    return calendar_response(
        request,
        events,
        name=_("Status for All events"),
        filename="calendar.ics",
        attachment=False,
        cached=True,
    )
