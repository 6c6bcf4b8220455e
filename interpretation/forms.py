"""Forms of the coordinator's pages: shape only; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, Language
from interpretation.models import Assignment, Interpreter, Plan


class LanguageField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("That language is not known. Choose one from the list."),
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=Language.objects.all(), to_field_name="code", **kwargs)


class AssignForm(forms.Form):
    """Put an interpreter on the event, into one language."""

    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"),
        queryset=Interpreter.objects.none(),
        error_messages={"invalid_choice": _("Choose an interpreter of this organization.")},
    )
    target = LanguageField(label=_("Into"))
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    invite = forms.BooleanField(label=_("Send the invitation now"), required=False, initial=True)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter"].queryset = Interpreter.objects.filter(
            organization_id=event.organization_id
        )


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["request_threshold", "travel_buffer_minutes"]

    def clean_request_threshold(self):
        value = self.cleaned_data["request_threshold"]
        if value < 1:
            raise forms.ValidationError(_("Give 1 or more."))
        return value


class SuggestionForm(forms.Form):
    """Which language to suggest interpreters for (a query parameter)."""

    language = LanguageField(label=_("Language"))
