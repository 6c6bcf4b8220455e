"""REST API: public reads of events and campaigns, organizer writes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from events import selectors, services
from events.forms import EventFilterForm
from events.models import Campaign, Event, Venue
from events.serializers import (
    CampaignSerializer,
    EventSerializer,
    VenueSerializer,
    as_api_error,
)

FILTER_PARAMETERS = [
    OpenApiParameter("city", str, description="City of the venue (any case)."),
    OpenApiParameter("kind", str, enum=Event.Kind.values),
    OpenApiParameter("campaign", str, description="Campaign slug."),
    OpenApiParameter("language", str, description="Language code, spoken or interpreted."),
    OpenApiParameter("format", str, enum=Event.Format.values),
]

WRITE_ACTIONS = {"create", "update", "partial_update"}


def filters_from(request) -> selectors.EventFilters:
    form = EventFilterForm(request.query_params)
    if not form.is_valid():
        raise serializers.ValidationError(
            {field: [str(message) for message in errors] for field, errors in form.errors.items()}
        )
    return form.filters()


def apply_changes(instance, validated_data: dict):
    """Copy validated values onto a model instance, leaving many-to-many out."""
    many = {
        key: validated_data.pop(key)
        for key in list(validated_data)
        if key in {"interpretation_languages", "translations"}
    }
    for key, value in validated_data.items():
        setattr(instance, key, value)
    return instance, many


class OrganizerWritesViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reads as each view allows; writes only within the user's organizations."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def organizer_queryset(self):
        return self.queryset.filter(organization__in=selectors.organizations_for(self.request.user))

    def perform_create(self, serializer):
        self.store(serializer, serializer.Meta.model())

    def perform_update(self, serializer):
        self.store(serializer, serializer.instance)

    def store(self, serializer, instance):
        instance, many = apply_changes(instance, dict(serializer.validated_data))
        try:
            serializer.instance = self.save(instance, many)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        except services.EventError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class EventViewSet(OrganizerWritesViewSet):
    """Upcoming listed events for everyone; organizers also see their own drafts."""

    serializer_class = EventSerializer
    queryset = Event.objects.all()

    def get_queryset(self):
        if self.action in WRITE_ACTIONS:
            return selectors.events_with_details(self.organizer_queryset())
        own = selectors.organizations_for(self.request.user)
        visible = Event.objects.filter(
            Q(visibility=Event.Visibility.LISTED) | Q(organization__in=own)
        )
        if self.action == "list":
            visible = selectors.filter_events(visible.upcoming(), filters_from(self.request))
        return selectors.events_with_details(visible).order_by("starts_at", "pk")

    def save(self, event: Event, many: dict) -> Event:
        return services.save_event(
            event=event,
            interpretation_languages=many.get("interpretation_languages"),
            translations=many.get("translations"),
        )


class CampaignViewSet(OrganizerWritesViewSet):
    """Campaigns (days of action) for everyone; organizers create and change their own."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.select_related("organization")

    def get_queryset(self):
        if self.action in WRITE_ACTIONS:
            return self.organizer_queryset()
        return self.queryset.order_by("starts_on", "pk")

    def save(self, campaign: Campaign, many: dict) -> Campaign:
        return services.save_campaign(campaign=campaign)


class VenueViewSet(OrganizerWritesViewSet):
    """Venues of the user's organizations (for organizers only)."""

    serializer_class = VenueSerializer
    queryset = Venue.objects.select_related("organization")
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return self.organizer_queryset().order_by("city", "name", "pk")

    def save(self, venue: Venue, many: dict) -> Venue:
        return services.save_venue(venue=venue)
