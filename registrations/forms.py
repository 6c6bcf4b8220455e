import secrets

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.models import MAX_PARTY_SIZE

PARTY_CHOICES = [(number, str(number)) for number in range(1, MAX_PARTY_SIZE + 1)]
NO_INTERPRETATION = ""


def interpretation_choices(event: Event) -> list[tuple[str, str]]:
    offered = [(language.code, str(language)) for language in event.interpretation_languages.all()]
    return [(NO_INTERPRETATION, _("None needed"))] + offered


def offered_language(event: Event, data: dict):
    """The Language chosen in the form (its choices were the offered ones), or None."""
    code = data.get("interpretation_language")
    return event.interpretation_languages.filter(code=code).first() if code else None


def message_language_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES]


def say_what_to_choose(form: forms.Form) -> None:
    """Errors for a value that is not among the choices (a page kept open while the
    event changed, or a tampered form) that say what to choose, in the page's language."""
    form.fields["party_size"].error_messages["invalid_choice"] = _(
        "Choose how many people come, from 1 to %(most)s, you included."
    ) % {"most": MAX_PARTY_SIZE}
    form.fields["interpretation_language"].error_messages["invalid_choice"] = _(
        "This event does not offer that language. Choose one from the list, or “None needed”."
    )
    form.fields["message_language"].error_messages["invalid_choice"] = _(
        "That language is not known. Choose one from the list."
    )


class ErrorSummary:
    """The fields to correct, for the summary at the top of a form
    (registrations/_error_summary.html)."""

    # Fields out of sight (a trap for bots): their message is said at the top instead.
    out_of_sight: tuple[str, ...] = ()

    def wrong_fields(self) -> list:
        return [
            field
            for field in self.visible_fields()
            if field.errors and field.name not in self.out_of_sight
        ]


class RegistrationForm(ErrorSummary, forms.Form):
    """Asks only what the event needs: an anonymous event has no name field."""

    out_of_sight = ("website",)

    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        help_text=_("To receive your personal link and updates. Nothing else."),
    )
    party_size = forms.TypedChoiceField(
        label=_("How many people, including you?"),
        choices=PARTY_CHOICES,
        coerce=int,
        initial=1,
    )
    interpretation_language = forms.ChoiceField(label=_("Interpretation you need"), required=False)
    message_language = forms.ChoiceField(label=_("Language for messages"))
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_to_updates = forms.BooleanField(
        label=_("Send me updates about this event"),
        required=False,
        help_text=_("Updates come by email: give one above to receive them."),
    )
    # Hidden from people; bots that fill every field fill it too.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # One value per form shown: submitting it twice registers once.
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.is_anonymous:
            del self.fields["name"]
            self.fields["email"].help_text = _(
                "Not needed. Give one only if you want your link sent to you."
            )
        else:
            self.fields["name"].required = event.require_name
            if not event.require_name:
                self.fields["name"].label = _("Your name (optional)")
        self.fields["interpretation_language"].choices = interpretation_choices(event)
        self.fields["message_language"].choices = message_language_choices()
        self.fields["message_language"].initial = (get_language() or "en")[:2]
        self.fields["form_token"].initial = secrets.token_urlsafe(24)
        say_what_to_choose(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            # Said at the top of the form: the field itself is out of sight.
            self.add_error(None, _("Please leave the field “Leave this field empty” empty."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "party_size": data["party_size"],
            "name": data.get("name", ""),
            "email": data["email"],
            "interpretation_language": offered_language(self.event, data),
            "message_language": data["message_language"],
            "accessibility_needs": data["accessibility_needs"],
            "consent_to_updates": data["consent_to_updates"],
            "idempotency_key": data["form_token"],
        }


class ChangeRegistrationForm(ErrorSummary, forms.Form):
    party_size = forms.TypedChoiceField(
        label=_("How many people, including you?"), choices=PARTY_CHOICES, coerce=int
    )
    interpretation_language = forms.ChoiceField(label=_("Interpretation you need"), required=False)
    message_language = forms.ChoiceField(label=_("Language for messages"))
    consent_to_updates = forms.BooleanField(
        label=_("Send me updates about this event"), required=False
    )

    def __init__(self, *args, event: Event, has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["interpretation_language"].choices = interpretation_choices(event)
        self.fields["message_language"].choices = message_language_choices()
        say_what_to_choose(self)
        if not has_email:  # updates go by e-mail: nothing to choose
            del self.fields["consent_to_updates"]
            # No e-mail reaches the person: the language is the calendar's.
            self.fields["message_language"].label = _("Language of your calendar")

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "party_size": data["party_size"],
            "interpretation_language": offered_language(self.event, data),
            "message_language": data["message_language"],
            "consent_to_updates": data.get("consent_to_updates"),
        }
