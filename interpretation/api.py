"""REST API for coordinators: interpreters, assignments, coverage, suggestions.

Everything is scoped to the organizations the user coordinates. Bad shapes
get 400 with field errors; a broken rule (overlap, hours, pair, lead taken)
gets 409 with the message naming the conflict and its code.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Language
from events.serializers import as_api_error
from interpretation import selectors, services
from interpretation.models import (
    DEFAULT_THRESHOLD,
    DEFAULT_TRAVEL_BUFFER,
    Assignment,
    Availability,
    Interpreter,
    LanguagePair,
)
from interpretation.serializers import (
    AssignmentSerializer,
    EventCoverageSerializer,
    InterpreterSerializer,
    LeftOutSerializer,
    PlanSerializer,
    SuggestionSerializer,
)
from interpretation.suggestions import suggest_interpreters


class IsCoordinator(permissions.BasePermission):
    message = _("Only interpretation coordinators of an organization can do this.")

    def has_permission(self, request, view):
        return selectors.is_coordinator(request.user)


def conflict(error: services.InterpretationError) -> Response:
    return Response(
        {"non_field_errors": [str(error)], "code": error.code}, status=status.HTTP_409_CONFLICT
    )


class InterpreterViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The interpreters of the organizations you coordinate. Their secret link is
    e-mailed to them on creation, never shown here."""

    serializer_class = InterpreterSerializer
    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    def get_queryset(self):
        return (
            selectors.coordinated_interpreters(self.request.user)
            .select_related("organization")
            .prefetch_related(
                Prefetch("pairs", queryset=LanguagePair.objects.select_related("source", "target")),
                "availability",
            )
            .order_by("name", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        pairs, windows = rows(data)
        try:
            interpreter, _token = services.create_interpreter(
                interpreter=Interpreter(**data), pairs=pairs or (), availability=windows or ()
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        except IntegrityError:
            raise email_taken() from None
        serializer.instance = interpreter

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        pairs, windows = rows(data)
        interpreter = serializer.instance
        for key, value in data.items():
            setattr(interpreter, key, value)
        try:
            services.update_interpreter(interpreter=interpreter, pairs=pairs, availability=windows)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        except IntegrityError:
            raise email_taken() from None
        serializer.instance = self.get_queryset().get(pk=interpreter.pk)


def rows(data: dict):
    pairs = data.pop("pairs", None)
    windows = data.pop("availability", None)
    return (
        None if pairs is None else [LanguagePair(**pair) for pair in pairs],
        None if windows is None else [Availability(**window) for window in windows],
    )


def email_taken() -> serializers.ValidationError:
    return serializers.ValidationError(
        {"email": [_("Another interpreter of this organization has this e-mail.")]}
    )


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assignments on the events you coordinate. POST assigns (and invites unless
    ``invite`` is false); ``withdraw`` and ``invite`` act on one."""

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    def get_queryset(self):
        queryset = Assignment.objects.filter(
            event__in=selectors.coordinated_events(self.request.user)
        ).select_related("interpreter", "event", "target")
        event = self.request.query_params.get("event", "")
        if self.action == "list" and event:
            if not event.isdigit():
                raise serializers.ValidationError({"event": [_("Give an event id (a number).")]})
            queryset = queryset.filter(event_id=int(event))
        return queryset.order_by("event__starts_at", "target_id", "role", "pk")

    @extend_schema(parameters=[OpenApiParameter("event", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            assignment = services.assign_interpreter(
                event=data["event"],
                interpreter=data["interpreter"],
                target=data["target"],
                role=data.get("role", Assignment.Role.LEAD),
                invite=data.get("invite", True),
            )
        except services.InterpretationError as error:
            return conflict(error)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.act(services.withdraw_assignment)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        return self.act(services.invite_assignment)

    def act(self, service):
        try:
            assignment = service(assignment=self.get_object())
        except services.InterpretationError as error:
            return conflict(error)
        return Response(self.get_serializer(assignment).data)


class CoverageView(APIView):
    """Coverage of one event (``event``), one campaign (``campaign``), or all your
    upcoming events, soonest first."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(
        parameters=[OpenApiParameter("event", int), OpenApiParameter("campaign", str)],
        responses=EventCoverageSerializer(many=True),
    )
    def get(self, request):
        event, campaign = request.query_params.get("event"), request.query_params.get("campaign")
        if event:
            if not event.isdigit():
                raise serializers.ValidationError({"event": [_("Give an event id (a number).")]})
            events = selectors.coordinated_events(request.user).filter(pk=int(event))
            items = selectors.coverage(selectors.coverage_events(events))
        elif campaign:
            found = selectors.coordinated_campaigns(request.user).filter(slug=campaign).first()
            if found is None:
                raise serializers.ValidationError(
                    {"campaign": [_("No campaign of yours has this short name.")]}
                )
            items = [item for _city, group in selectors.campaign_coverage(found) for item in group]
        else:
            items = selectors.upcoming_coverage(request.user)
        return Response(EventCoverageSerializer(items, many=True).data)


class PlanView(APIView):
    """An event's interpretation settings: how many requests flag a language (N),
    and the travel time kept between in-person assignments."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    def event(self, request, event_id: int):
        return get_object_or_404(selectors.coordinated_events(request.user), pk=event_id)

    @extend_schema(responses=PlanSerializer)
    def get(self, request, event_id: int):
        plan = selectors.plan_of(self.event(request, event_id))
        values = {
            "request_threshold": plan.request_threshold if plan else DEFAULT_THRESHOLD,
            "travel_buffer_minutes": plan.travel_buffer_minutes if plan else DEFAULT_TRAVEL_BUFFER,
        }
        return Response(PlanSerializer(values).data)

    @extend_schema(request=PlanSerializer, responses=PlanSerializer)
    def put(self, request, event_id: int):
        event = self.event(request, event_id)
        serializer = PlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.save_plan(event=event, **serializer.validated_data)
        return Response(PlanSerializer(plan).data)


class SuggestionsView(APIView):
    """Interpreters ranked for ``language`` on ``event``, with reasons, and those
    left out with the rule they fail."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(
        parameters=[
            OpenApiParameter("event", int, required=True),
            OpenApiParameter("language", str, required=True),
        ],
        responses=None,
    )
    def get(self, request):
        errors = {}
        event_id = request.query_params.get("event", "")
        code = request.query_params.get("language", "")
        if not event_id.isdigit():
            errors["event"] = [_("Give an event id (a number).")]
        language = Language.objects.filter(code=code).first()
        if language is None:
            errors["language"] = [_("“%(code)s” is not a known language code.") % {"code": code}]
        if errors:
            raise serializers.ValidationError(errors)
        event = get_object_or_404(
            selectors.coordinated_events(request.user).select_related("language"), pk=int(event_id)
        )
        found = suggest_interpreters(event=event, target=language)
        return Response(
            {
                "ranked": SuggestionSerializer(found.ranked, many=True).data,
                "left_out": LeftOutSerializer(found.left_out, many=True).data,
            }
        )
