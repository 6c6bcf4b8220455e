"""POST /api/events/<id>/registrations/ registers; organizers GET the list."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

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


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


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
        wait = ratelimit.over_limit(
            request, scope="register", limit=settings.REGISTRATION_RATE_LIMIT
        )
        if wait:
            raise exceptions.Throttled(wait)
        key = idempotency_key(request)
        serializer = RegisterSerializer(data=request.data, context={"event_id": event_id})
        serializer.is_valid(raise_exception=True)
        try:
            # Only the id: the event is read when the one-statement path cannot decide.
            result = services.register_attendee(
                event_id=event_id, idempotency_key=key, **serializer.validated_data
            )
        except services.RegistrationError as error:
            if error.code in {"not_found", "draft"}:
                raise exceptions.NotFound() from None
            raise Conflict(detail=str(error), code=error.code) from None
        if result.emailed:
            detail = _("The registration and its personal link are being sent to the email given.")
            return keep_secret(Response({"detail": detail}, status=status.HTTP_202_ACCEPTED))
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
        return keep_secret(Response(body, status=status.HTTP_201_CREATED))

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


def idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if key and not 16 <= len(key) <= 64:
        raise exceptions.ValidationError(
            {"Idempotency-Key": ["Use 16 to 64 characters, for example a UUID."]}
        )
    return key
