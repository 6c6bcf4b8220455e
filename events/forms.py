import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import LOCAL_TIME_FIELDS, Campaign, Event, known_time_zones, wall_clock_to_aware
from events.selectors import EventFilters


class EventFilterForm(forms.Form):
    """The filters of the list page, the API list and the public feed.

    Values that match nothing known give an error that names what is known,
    instead of an empty page that leaves people guessing.
    """

    city = forms.CharField(label=_("City"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind"))] + Event.Kind.choices
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        required=False,
        queryset=Campaign.objects.none(),  # set per request in __init__
        to_field_name="slug",
        empty_label=_("Any campaign"),
        error_messages={"invalid_choice": _("There is no campaign with that name.")},
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        required=False,
        queryset=selectors.language_choices(),
        empty_label=_("Any language"),
        error_messages={"invalid_choice": _("That language is not known here.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("In person or online"))] + Event.Format.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.campaign_choices()
        # Read only when the page shows the list of cities or a city is given
        # (the feed and the API skip the query otherwise).
        self.fields["city"].widget = forms.Select(choices=self.city_choices)

    @cached_property
    def known_cities(self) -> list[str]:
        return selectors.cities_with_upcoming_events()

    def city_choices(self) -> list[tuple[str, str]]:
        return [("", _("Any city"))] + [(city, city) for city in self.known_cities]

    def clean_city(self) -> str:
        city = self.cleaned_data["city"].strip()
        if not city:
            return ""
        for known in self.known_cities:
            if known.casefold() == city.casefold():
                return known
        raise forms.ValidationError(
            _("No upcoming events in “%(city)s”. Cities with events: %(known)s."),
            params={"city": city, "known": ", ".join(self.known_cities) or "—"},
        )

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        return EventFilters(
            city=data.get("city", ""),
            kind=data.get("kind", ""),
            campaign=data.get("campaign"),
            language=data.get("language"),
            format=data.get("format", ""),
        )


class LocalDateTimeField(forms.SplitDateTimeField):
    """A date and time read as the wall clock of the event's own time zone.

    Django would read it in the server's zone; a Vancouver rally typed as
    12:00 must stay 12:00 in Vancouver. The form makes it aware in clean().
    """

    def compress(self, data_list):
        if data_list and data_list[0] is not None and data_list[1] is not None:
            return dt.datetime.combine(*data_list)
        return super().compress(data_list)


class EventAdminForm(forms.ModelForm):
    """Event editing for organizers, with times in the event's own zone."""

    class Meta:
        model = Event
        fields = [
            "organization",
            "campaign",
            "title",
            "slug",
            "kind",
            "description",
            "content_language",
            "timezone",
            "starts_at",
            "ends_at",
            "recurrence",
            "recurrence_exceptions",
            "drop_in",
            "format",
            "venue",
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
        ]
        field_classes = dict.fromkeys(LOCAL_TIME_FIELDS, LocalDateTimeField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.zone if self.instance.pk else None
        for name in LOCAL_TIME_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            field.help_text = _("Local time where the event is held, in its time zone above.")
            value = getattr(self.instance, name) if zone else None
            if value is not None:
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("timezone")
        if zone_name not in known_time_zones():
            # The model's validation names the unknown zone; meanwhile read
            # the times in the server's zone so the other checks can run.
            for name in LOCAL_TIME_FIELDS:
                if cleaned.get(name) is not None and timezone.is_naive(cleaned[name]):
                    cleaned[name] = timezone.make_aware(cleaned[name])
            return cleaned
        for name in LOCAL_TIME_FIELDS:
            value = cleaned.get(name)
            if value is None or timezone.is_aware(value):
                continue
            try:
                cleaned[name] = wall_clock_to_aware(value, zone_name)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned
