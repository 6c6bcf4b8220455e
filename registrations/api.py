"""POST /api/events/<id>/registrations/ registers; organizers GET the list."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config import api_errors
from config.lean import lean_post
from events import selectors as event_selectors
from events.models import Event
from privacy.services import record_access
from registrations import ratelimit, selectors, services
from registrations.messages import manage_path
from registrations.serializers import (
    RegisterSerializer,
    RegistrationCountsSerializer,
    RegistrationResultSerializer,
    RegistrationRowSerializer,
)
from registrations.views import keep_secret

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A unique value (16 to 64 characters, e.g. a UUID): sending the same "
    "request again with it registers once and gives the same answer.",
)


class EventRegistrations(APIView):
    permission_classes = [permissions.AllowAny]

    def get_authenticators(self):
        # Registering needs no account (and must not depend on one): only
        # organizers reading the list are authenticated.
        request = getattr(self, "request", None)
        if request is not None and request.method == "POST":
            return []
        return super().get_authenticators()

    @extend_schema(
        request=RegisterSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: RegistrationResultSerializer,
            202: OpenApiResponse(description="An email was given: the link goes there."),
            409: OpenApiResponse(description="Closed, cancelled, or full without a waiting list."),
        },
    )
    def post(self, request, event_id: int):
        # The URL sends POSTs straight to ``register`` (see ``event_registrations``);
        # this is the same answer for callers that go through the class.
        return register(request._request, event_id)

    @extend_schema(
        responses={200: RegistrationRowSerializer(many=True)},
        description="Organizers only. Rows for standard events; for anonymous events, counts.",
    )
    def get(self, request, event_id: int):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        event = get_object_or_404(Event, pk=event_id)
        if not event_selectors.can_manage_event(request.user, event):
            raise exceptions.NotFound()
        if event.is_anonymous:
            counts = RegistrationCountsSerializer(selectors.registration_counts(event)).data
            return Response({"anonymous": True, "counts": counts})
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.registrations_of(event), request, view=self)
        record_access(user=request.user, event=event, action="list", where="api")
        return paginator.get_paginated_response(RegistrationRowSerializer(page, many=True).data)


_list = EventRegistrations.as_view()


@lean_post
@csrf_exempt
def event_registrations(request, event_id: int):
    """POST registers; the rest (the organizers' list) is the REST framework's view.

    Registering is what thousands of phones do in the minutes after a rally
    is announced, so it is a plain Django view: the framework's negotiation,
    request wrapping and response rendering cost more CPU than the
    registration itself. It answers exactly as the framework would (JSON,
    400 with field errors, 404, 409, 429 with Retry-After).
    """
    if request.method == "POST":
        return register(request, event_id)
    return _list(request, event_id=event_id)


# The API schema describes the URL through the class (both methods).
event_registrations.cls = EventRegistrations
event_registrations.initkwargs = {}


def register(request, event_id: int) -> HttpResponse:
    # Redis counts the attempt while the body is read; a client over the
    # limit gets no further (no check of its answers touches the database).
    attempt = ratelimit.Attempt(request, scope="register", limit=settings.REGISTRATION_RATE_LIMIT)
    try:
        errors, data, key = read_body(request)
    finally:
        wait = attempt.wait()
    if wait:
        response = json_response({"detail": api_errors.wait_message(wait)}, 429)
        response["Retry-After"] = str(wait)
        return response
    if errors:
        return json_response(errors, 400)
    serializer = RegisterSerializer(data=data, context={"event_id": event_id})
    if not serializer.is_valid():
        return json_response(serializer.errors, 400)
    try:
        # Only the id: the event is read when the one-statement path cannot decide.
        result = services.register_attendee(
            event_id=event_id, idempotency_key=key, **serializer.validated_data
        )
    except services.RegistrationError as error:
        if error.code in {"not_found", "draft"}:
            return json_response({"detail": str(exceptions.NotFound.default_detail)}, 404)
        if error.code == "idempotency_mismatch":  # the service's text speaks of the form
            detail = _(
                "This Idempotency-Key was already used with other answers. To register "
                "again, send a new key."
            )
            return json_response({"detail": detail}, 409)
        return json_response({"detail": str(error)}, 409)
    if result.emailed:
        detail = _("The registration and its personal link are being sent to the email given.")
        return keep_secret(json_response({"detail": detail}, 202))
    registration = result.registration
    body = {
        "status": registration.status,
        "party_size": registration.party_size,
        "waiting_position": result.waiting_position,
        "manage_url": request.build_absolute_uri(manage_path(result.token))
        if result.token
        else None,
    }
    # The answer carries the secret link: not to be cached, nor sent on as a referrer.
    return keep_secret(json_response(body, 201))


def read_body(request) -> tuple[dict | None, dict, str]:
    """Errors (or None), the body's data, and the Idempotency-Key."""
    key = request.META.get("HTTP_IDEMPOTENCY_KEY", "").strip()  # the Idempotency-Key header
    if key and not 16 <= len(key) <= 64:
        return {"Idempotency-Key": ["Use 16 to 64 characters, for example a UUID."]}, {}, ""
    try:
        return None, request_data(request), key
    except api_errors.BadBody as error:
        return {"non_field_errors": [str(error)]}, {}, ""


def request_data(request):
    """The body as the REST framework's parsers read it. Plain JSON, what
    phones send, is read here; anything else (form data, other charsets) by
    the framework's own parsers. A chunked body never gets here
    (config.security.RefuseChunkedBodies)."""
    try:
        if not request.body:
            return {}
    except RequestDataTooBig:
        raise api_errors.BadBody(api_errors.too_large()) from None
    if request.content_type == "application/json":
        try:
            text = request.body.decode(request.encoding or "utf-8")
        except (UnicodeError, LookupError):  # punycode, say, raises a bare UnicodeError
            raise api_errors.BadBody(api_errors.NOT_TEXT) from None
        try:
            return json.loads(text, parse_constant=api_errors.refuse_constant)
        except (ValueError, RecursionError):
            raise api_errors.BadBody(api_errors.NOT_JSON) from None
    framework = Request(request, parsers=[FormParser(), MultiPartParser()])
    try:
        return framework.data
    except exceptions.UnsupportedMediaType:
        raise api_errors.BadBody(api_errors.NOT_JSON_OR_FORM) from None
    except exceptions.ParseError:
        raise api_errors.BadBody(api_errors.NOT_FORM) from None
    except (UnicodeError, LookupError):
        raise api_errors.BadBody(api_errors.NOT_TEXT) from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise api_errors.BadBody(api_errors.TOO_MANY_FIELDS) from None


def json_response(data, status: int) -> HttpResponse:
    """JSON as the REST framework renders it (compact, UTF-8)."""
    content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        body = content.encode()
    except UnicodeEncodeError:  # a lone surrogate echoed back in an error
        body = json.dumps(data, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Content-Length"] = str(len(body))
    return response
