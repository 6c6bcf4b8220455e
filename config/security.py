"""Headers every answer carries, and the limit on organizer logins.

The Content-Security-Policy allows scripts, styles, images and fonts from this
site only: no inline script can run, no page can be framed, and forms post
only here. Pages keep their JavaScript in static files.
"""

from django.conf import settings

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


def limited_login(login_view):
    """Wrap the login view: too many attempts from one client, or on one
    account, get a 429 page. Clients and accounts are told apart by salted
    hashes kept only in the cache (registrations.ratelimit)."""
    from registrations import ratelimit
    from registrations.views import too_many

    def view(request, *args, **kwargs):
        if request.method == "POST":
            username = request.POST.get("username", "")[:150].strip().lower()
            limit = settings.LOGIN_RATE_LIMIT
            wait = ratelimit.over_limit(request, scope="login", limit=limit) or (
                ratelimit.over_limit_for(f"account:{username}", scope="login", limit=limit)
            )
            if wait:
                return too_many(request, wait)
        return login_view(request, *args, **kwargs)

    return view
