from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.serializers import SharedFields
from events.models import Language
from registrations.models import MAX_PARTY_SIZE, Registration


class RegisterSerializer(SharedFields, serializers.Serializer):
    """What a person may send to register. Anything else (a status, say) is ignored."""

    party_size = serializers.IntegerField(min_value=1, max_value=MAX_PARTY_SIZE, default=1)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    interpretation_language = serializers.CharField(
        max_length=16, required=False, allow_blank=True, allow_null=True, default=""
    )
    message_language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES], default="en"
    )
    accessibility_needs = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default=""
    )
    consent_to_updates = serializers.BooleanField(default=False)

    def validate_interpretation_language(self, value):
        if not value:
            return None
        offered = {
            language.code: language
            for language in Language.objects.filter(events_interpreted=self.context["event_id"])
        }
        if not offered:
            raise serializers.ValidationError(
                _("This event offers no interpretation. Leave it empty.")
            )
        if value not in offered:
            choices = ", ".join(sorted(offered))
            raise serializers.ValidationError(
                _(
                    "This event offers interpretation into: %(choices)s. "
                    "Leave it empty if you need none."
                )
                % {"choices": choices}
            )
        return offered[value]


class RegistrationResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    party_size = serializers.IntegerField()
    waiting_position = serializers.IntegerField(allow_null=True)
    manage_url = serializers.URLField(allow_null=True)


class RegistrationRowSerializer(serializers.ModelSerializer):
    """A registration of a standard event, for its organizers."""

    interpretation_language = serializers.CharField(
        source="interpretation_language_id", allow_null=True
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "status",
            "party_size",
            "name",
            "email",
            "interpretation_language",
            "message_language",
            "accessibility_needs",
            "consent_to_updates",
            "created_at",
            "checked_in_at",
        ]
        read_only_fields = fields


class RegistrationCountsSerializer(serializers.Serializer):
    """An anonymous event's registrations, as counts only."""

    confirmed_people = serializers.IntegerField()
    waitlisted_people = serializers.IntegerField()
    confirmed_registrations = serializers.IntegerField()
    waitlisted_registrations = serializers.IntegerField()
    cancelled_registrations = serializers.IntegerField()
