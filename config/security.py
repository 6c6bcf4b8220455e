"""Headers every answer carries, and the limit on organizer logins.

The Content-Security-Policy allows scripts, styles, images and fonts from this
site only: no inline script can run, no page can be framed, and forms post
only here. Pages keep their JavaScript in static files.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

from config.api_errors import NEEDS_LENGTH

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), interest-cohort=()"


class SecurityHeaders:
    """Adds the Content-Security-Policy and Permissions-Policy headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class RefuseChunkedBodies:
    """Refuses a body sent without a Content-Length (Transfer-Encoding: chunked)
    with a 400 that says what to do, in JSON for the API. gunicorn passes such a
    body on, but Django reads a body by its length and would take it as empty:
    a form or API call would seem to succeed with none of its data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: every request passes here, and on the
        # registration API's short path nothing else builds the headers' mapping,
        # which costs more than the check.
        if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"non_field_errors": [str(NEEDS_LENGTH)]}, status=400)
        return HttpResponseBadRequest(str(NEEDS_LENGTH), content_type="text/plain; charset=utf-8")


def limited_login(login_view):
    """Wrap a login view: after too many failed attempts from one client, or
    on one account, every attempt gets a 429 page until the window ends.
    Logins that succeed are not counted, so people sharing an address (a
    community centre) do not lock each other out. Clients and accounts are
    told apart by salted hashes kept only in the cache (registrations.ratelimit)."""
    from registrations import ratelimit
    from registrations.views import too_many

    def view(request, *args, **kwargs):
        if request.method != "POST":
            return login_view(request, *args, **kwargs)
        username = request.POST.get("username", "")[:150].strip().lower()
        account = f"account:{username}"
        limit = settings.LOGIN_RATE_LIMIT
        wait = ratelimit.limited(request, scope="login", limit=limit) or ratelimit.limited_for(
            account, scope="login", limit=limit
        )
        if wait:
            return too_many(request, wait)
        response = login_view(request, *args, **kwargs)
        if not request.user.is_authenticated:  # the attempt failed: count it
            ratelimit.over_limit(request, scope="login", limit=limit)
            ratelimit.over_limit_for(account, scope="login", limit=limit)
        return response

    return view
