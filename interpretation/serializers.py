"""API shapes: interpreters (with pairs and hours), assignments, coverage."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from events.models import Event, Language
from interpretation import selectors
from interpretation.models import Assignment, Availability, Interpreter, LanguagePair


class LanguageCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("“{value}” is not a known language code. Use one like es, pa or ase."),
        "invalid": _("Give a language code such as es."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Language.objects.all(), **kwargs)


class CoordinatedOrganizationField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _(
            "You coordinate interpretation only for your organizations; “{value}” is not one."
        ),
    }

    def get_queryset(self):
        return selectors.coordinated_organizations(self.context["request"].user)


class PairSerializer(serializers.ModelSerializer):
    source = LanguageCodeField()
    target = LanguageCodeField()

    class Meta:
        model = LanguagePair
        fields = ["source", "target", "both_ways"]

    def validate(self, data):
        if data["source"] == data["target"]:
            raise serializers.ValidationError({"target": [_("Choose two different languages.")]})
        return data


class AvailabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Availability
        fields = ["weekday", "date", "starts", "ends"]
        validators = []  # the model's checks are repeated below with clearer words

    def validate(self, data):
        errors = {}
        if data["ends"] <= data["starts"]:
            errors["ends"] = [
                _("The hours must end after they start (split a night across two days).")
            ]
        if (data.get("weekday") is None) == (data.get("date") is None):
            errors["weekday"] = [_("Give either a day of the week (0 = Monday) or a date.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class InterpreterSerializer(serializers.ModelSerializer):
    organization = CoordinatedOrganizationField(slug_field="slug")
    message_language = serializers.ChoiceField(choices=settings.LANGUAGES, default="en")
    pairs = PairSerializer(many=True, required=False)
    availability = AvailabilitySerializer(many=True, required=False)

    class Meta:
        model = Interpreter
        fields = [
            "id",
            "organization",
            "name",
            "email",
            "phone",
            "timezone",
            "message_language",
            "simultaneous_online",
            "whisper",
            "consecutive",
            "sign",
            "is_active",
            "pairs",
            "availability",
        ]
        validators = []  # one e-mail per organization is checked by the service

    def validate_organization(self, organization):
        if self.instance is not None and organization.pk != self.instance.organization_id:
            raise serializers.ValidationError(_("An interpreter cannot move to another group."))
        return organization


class AssignmentSerializer(serializers.ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    interpreter = serializers.PrimaryKeyRelatedField(queryset=Interpreter.objects.none())
    target = LanguageCodeField()
    source = serializers.CharField(source="source_id", read_only=True)
    interpreter_name = serializers.CharField(source="interpreter.name", read_only=True)
    invite = serializers.BooleanField(write_only=True, default=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "event",
            "interpreter",
            "interpreter_name",
            "source",
            "target",
            "role",
            "status",
            "invite",
        ]
        read_only_fields = ["status"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["event"].queryset = selectors.coordinated_events(request.user)
            self.fields["interpreter"].queryset = selectors.coordinated_interpreters(request.user)


class NeedSerializer(serializers.Serializer):
    language = serializers.CharField(source="language.code")
    offered = serializers.BooleanField()
    requested = serializers.IntegerField(
        source="requested_shown",
        allow_null=True,
        help_text="Registrants who asked for it; null for 1 to 4 on an anonymous event.",
    )
    requested_fewer_than_5 = serializers.BooleanField(source="requested_is_small")
    flagged = serializers.BooleanField()
    needed = serializers.IntegerField()
    accepted = serializers.SerializerMethodField()
    pending = serializers.SerializerMethodField()
    declined = serializers.SerializerMethodField()
    state = serializers.CharField()

    def get_accepted(self, need) -> int:
        return len(need.accepted)

    def get_pending(self, need) -> int:
        return len(need.pending)

    def get_declined(self, need) -> int:
        return len(need.declined)


class EventCoverageSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event.pk")
    title = serializers.CharField(source="event.title")
    starts_at = serializers.DateTimeField(source="event.starts_at")
    city = serializers.CharField()
    threshold = serializers.IntegerField()
    needs = NeedSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    interpreter = serializers.IntegerField(source="interpreter.pk")
    name = serializers.CharField(source="interpreter.name")
    reasons = serializers.ListField(child=serializers.CharField())


class LeftOutSerializer(serializers.Serializer):
    interpreter = serializers.IntegerField(source="interpreter.pk")
    name = serializers.CharField(source="interpreter.name")
    code = serializers.CharField()
    reason = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    request_threshold = serializers.IntegerField(min_value=1, max_value=10000)
    travel_buffer_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60)
