from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from events import selectors
from events.models import (
    DEFAULT_TIME_ZONE,
    LOCAL_TIME_FIELDS,
    Campaign,
    Event,
    EventTranslation,
    Language,
    Venue,
    rebase_times,
    wall_clock_to_aware,
)


def as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    """Turn a model's validation error into DRF's field errors."""
    if hasattr(error, "message_dict"):
        errors = dict(error.message_dict)
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        return serializers.ValidationError(errors)
    return serializers.ValidationError({"non_field_errors": error.messages})


class WallClockDateTimeField(serializers.DateTimeField):
    """A datetime; one written without an offset is read in the event's zone.

    The serializer makes such naive values aware once it knows the zone.
    """

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


class OrganizationScopedField(serializers.SlugRelatedField):
    """An organization, given by its slug, where the user is an organizer."""

    default_error_messages = {
        "does_not_exist": _(
            "You can only use organizations in which you are an organizer; "
            "“{value}” is not one of them."
        ),
    }

    def get_queryset(self):
        return selectors.organizations_for(self.context["request"].user)


class VenueSerializer(serializers.ModelSerializer):
    organization = OrganizationScopedField(slug_field="slug")
    map_url = serializers.CharField(read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "organization",
            "name",
            "street_address",
            "unit",
            "city",
            "province",
            "postal_code",
            "directions",
            "latitude",
            "longitude",
            "map_url",
        ]

    def validate(self, attrs):
        candidate = Venue(**{**self._current_values(), **attrs})
        try:
            candidate.full_clean(exclude=["organization"], validate_unique=False)
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return attrs

    def _current_values(self) -> dict:
        if self.instance is None:
            return {}
        return {
            field: getattr(self.instance, field)
            for field in self.Meta.fields
            if field not in {"id", "map_url", "organization"}
        }


class PublicVenueSerializer(serializers.ModelSerializer):
    map_url = serializers.CharField(read_only=True)

    class Meta:
        model = Venue
        fields = VenueSerializer.Meta.fields[:1] + VenueSerializer.Meta.fields[2:]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    organization = OrganizationScopedField(slug_field="slug")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "starts_on",
            "ends_on",
            "organization",
            "url",
        ]

    def get_url(self, campaign: Campaign) -> str:
        return self.context["request"].build_absolute_uri(campaign.get_absolute_url())

    def validate(self, attrs):
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError(
                {"ends_on": [_("The last day cannot be before the first day.")]}
            )
        return attrs


class EventTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventTranslation
        fields = ["language", "title", "description", "directions"]
        # The event is not known yet: the pair is checked in EventSerializer.
        validators = []


class EventSerializer(serializers.ModelSerializer):
    """Events as the API shows them: times with the offset of the event's zone."""

    organization = OrganizationScopedField(slug_field="slug")
    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    venue = PublicVenueSerializer(read_only=True, allow_null=True)
    venue_id = serializers.PrimaryKeyRelatedField(
        source="venue",
        queryset=Venue.objects.all(),
        required=False,
        allow_null=True,
        write_only=True,
    )
    language = serializers.PrimaryKeyRelatedField(queryset=Language.objects.all(), required=False)
    interpretation_languages = serializers.PrimaryKeyRelatedField(
        queryset=Language.objects.all(), many=True, required=False
    )
    slug = serializers.SlugField(required=False, max_length=80)
    url = serializers.SerializerMethodField()
    # Given, they replace the event's translations (one per language).
    translations = EventTranslationSerializer(many=True, required=False)
    starts_at = WallClockDateTimeField()
    ends_at = WallClockDateTimeField()
    registration_opens_at = WallClockDateTimeField(required=False, allow_null=True)
    registration_closes_at = WallClockDateTimeField(required=False, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "organization",
            "campaign",
            "title",
            "description",
            "kind",
            "starts_at",
            "ends_at",
            "timezone",
            "recurrence",
            "recurrence_exceptions",
            "drop_in",
            "format",
            "venue",
            "venue_id",
            "capacity",
            "has_waitlist",
            "require_name",
            "registration_opens_at",
            "registration_closes_at",
            "status",
            "status_reason",
            "visibility",
            "privacy",
            "language",
            "interpretation_languages",
            "contacts",
            "accessibility_notes",
            "content_language",
            "translations",
            "sequence",
            "updated_at",
        ]
        read_only_fields = ["id", "sequence", "updated_at"]
        extra_kwargs = {"capacity": {"min_value": 0}}

    def get_url(self, event: Event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())

    def to_representation(self, event: Event) -> dict:
        data = super().to_representation(event)
        for name in LOCAL_TIME_FIELDS:
            value = getattr(event, name)
            data[name] = value.astimezone(event.zone).isoformat() if value else None
        return data

    def validate_slug(self, value: str) -> str:
        taken = Event.objects.filter(slug=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError(_("Another event already uses this address."))
        return value

    def validate_translations(self, value: list[dict]) -> list[dict]:
        languages = [item["language"] for item in value]
        if len(set(languages)) != len(languages):
            raise serializers.ValidationError(_("Give at most one translation per language."))
        own = self.initial_data.get("content_language") or getattr(
            self.instance, "content_language", "en"
        )
        if own in languages:
            raise serializers.ValidationError(
                _("This is the event's own language: change the title and description instead.")
            )
        return value

    def validate(self, attrs):
        zone = attrs.get("timezone") or getattr(self.instance, "timezone", DEFAULT_TIME_ZONE)
        errors = {}
        for name in LOCAL_TIME_FIELDS:
            value = attrs.get(name)
            if value is not None and timezone.is_naive(value):
                try:
                    attrs[name] = wall_clock_to_aware(value, zone)
                except DjangoValidationError as error:
                    errors[name] = error.messages
        if errors:
            raise serializers.ValidationError(errors)
        candidate = self.build_candidate(attrs)
        if self.instance is not None and candidate.timezone != self.instance.timezone:
            untouched = [name for name in LOCAL_TIME_FIELDS if name not in attrs]
            rebase_times(candidate, old_zone=self.instance.timezone, fields=untouched)
            attrs.update({name: getattr(candidate, name) for name in untouched})
        try:
            candidate.clean()
        except DjangoValidationError as error:
            raise as_api_error(error) from None
        return attrs

    def build_candidate(self, attrs) -> Event:
        """The event as it would be after this request, for the model's rules."""
        many = {"interpretation_languages", "translations"}
        values = {key: value for key, value in attrs.items() if key not in many}
        if self.instance is None:
            return Event(**values)
        candidate = Event.objects.get(pk=self.instance.pk)
        for key, value in values.items():
            setattr(candidate, key, value)
        return candidate
