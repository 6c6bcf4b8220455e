"""A short way through the middleware for POSTs that use none of it.

Registering is what thousands of phones do in the minutes after a rally is
announced. Such a POST needs no session, user, flash messages, CSRF token
(the API takes none) or static files, and the middleware that provides them
costs more CPU than storing the registration. A view marked with
``lean_post`` gets POSTs through the language, security-header and
chunked-body middleware only; every other request, and every other method, takes the
whole stack as usual. This middleware sits right after Django's
SecurityMiddleware, so HTTPS redirects and its headers still apply.
"""

from django.core.handlers.exception import convert_exception_to_response
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve

from config.security import RefuseChunkedBodies, SecurityHeaders


def lean_post(view):
    """Mark a view whose POSTs skip the session, user, CSRF, messages and
    static-file middleware (it must use none of them)."""
    view.lean_post = True
    return view


class LeanPosts:
    def __init__(self, get_response):
        self.get_response = get_response
        # The same middleware, in the same order, as in settings.MIDDLEWARE,
        # each wrapped as Django wraps it, so that an error answer still
        # passes through the ones above it (and gets their headers).
        handler = convert_exception_to_response(self.view)
        for middleware in (
            XFrameOptionsMiddleware,
            RefuseChunkedBodies,
            SecurityHeaders,
            LocaleMiddleware,
        ):
            handler = convert_exception_to_response(middleware(handler))
        self.lean = handler

    def __call__(self, request):
        if request.method == "POST" and request.path_info.startswith("/api/"):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "lean_post", False):
                request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it
                request.resolver_match = match
                return self.lean(request)
        return self.get_response(request)

    @staticmethod
    def view(request):
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
