"""The marshals' counter as JSON: phones send taps (one or a batch kept while
offline) and get back the total of all devices."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import selectors, services
from attendance.occurrences import current_occurrence, is_occurrence
from attendance.serializers import TallySerializer, TapBatchSerializer
from events.models import Event


def event_to_count(request, event_id: int) -> Event:
    event = selectors.event_to_count(request.user, event_id)
    if event is None:
        raise Http404
    return event


def tally_answer(event, occurrence, accepted=None) -> dict:
    figures = selectors.tally(event, occurrence)
    answer = {
        "occurrence": occurrence,
        "entries": figures.entries,
        "exits": figures.exits,
        "inside": figures.inside,
    }
    if accepted is not None:
        answer["accepted"] = accepted
    return TallySerializer(answer).data


class EventTaps(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "occurrence",
                OpenApiTypes.DATETIME,
                description="Start of the occurrence counted (default: the current one).",
            )
        ],
        responses=TallySerializer,
    )
    def get(self, request, event_id: int):
        """The totals of all devices: what other phones show between their taps."""
        event = event_to_count(request, event_id)
        wanted = request.query_params.get("occurrence")
        if not wanted:
            return Response(tally_answer(event, current_occurrence(event)))
        occurrence = serializers.DateTimeField().run_validation(wanted)
        if not is_occurrence(event, occurrence):
            raise exceptions.ValidationError(
                {"occurrence": [_("The event has no occurrence starting then.")]}
            )
        return Response(tally_answer(event, occurrence))

    @extend_schema(request=TapBatchSerializer, responses=TallySerializer)
    def post(self, request, event_id: int):
        event = event_to_count(request, event_id)
        serializer = TapBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        occurrence = data.get("occurrence") or current_occurrence(event)
        if not is_occurrence(event, occurrence):
            raise exceptions.ValidationError(
                {"occurrence": [_("The event has no occurrence starting then.")]}
            )
        taps = [
            services.TapInput(
                tap_id=tap["id"],
                direction=tap["direction"],
                delta=tap["delta"],
                tapped_at=tap.get("at"),
            )
            for tap in data["taps"]
        ]
        totals = services.record_taps_with_totals(
            event=event, occurrence=occurrence, device=data["device"], taps=taps
        )
        answer = {
            "occurrence": occurrence,
            "accepted": totals.accepted,
            "entries": totals.entries,
            "exits": totals.exits,
            "inside": totals.entries - totals.exits,
        }
        return Response(TallySerializer(answer).data)
