from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from attendance.models import Tap
from attendance.services import MAX_TAPS_PER_REQUEST
from config.serializers import PrototypeFields


class TapSerializer(PrototypeFields, serializers.Serializer):
    id = serializers.RegexField(
        r"^[A-Za-z0-9_-]{8,64}$",
        max_length=64,
        error_messages={"invalid": _("A tap id has 8 to 64 letters, digits, - or _.")},
    )
    direction = serializers.ChoiceField(choices=Tap.Direction.choices)
    delta = serializers.ChoiceField(choices=[1, -1])
    at = serializers.DateTimeField(required=False)


class TapBatchSerializer(PrototypeFields, serializers.Serializer):
    deep_copied = ("taps",)

    device = serializers.RegexField(
        r"^[A-Za-z0-9_-]{4,64}$",
        max_length=64,
        error_messages={"invalid": _("A device id has 4 to 64 letters, digits, - or _.")},
    )
    occurrence = serializers.DateTimeField(required=False)
    taps = TapSerializer(many=True, allow_empty=False, max_length=MAX_TAPS_PER_REQUEST)

    def validate_taps(self, taps):
        if len({tap["id"] for tap in taps}) != len(taps):
            raise serializers.ValidationError(_("Each tap needs its own id."))
        return taps


class TallySerializer(PrototypeFields, serializers.Serializer):
    occurrence = serializers.DateTimeField()
    accepted = serializers.IntegerField(required=False)
    entries = serializers.IntegerField()
    exits = serializers.IntegerField()
    inside = serializers.IntegerField()
