"""Forms of the dashboards and of the marshals' phone pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance import services
from attendance.models import Tap


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The 8 letters and digits under the QR code, e.g. 7KQ2-M9XD."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = services.normalize_code(self.cleaned_data["code"])
        if len(code) != services.CODE_LENGTH:
            raise forms.ValidationError(
                _("A check-in code has 8 letters and digits, e.g. 7KQ2-M9XD.")
            )
        return code


class TapForm(forms.Form):
    """One press of a button on the counter page without JavaScript."""

    tap_id = forms.CharField(max_length=64, min_length=8)
    direction = forms.ChoiceField(choices=Tap.Direction.choices)
    delta = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "−1")], coerce=int)


class MarshalForm(forms.Form):
    username = forms.CharField(label=_("Login of the marshal"), max_length=150)
    gate = forms.CharField(label=_("Gate or door"), max_length=80, required=False)


class ReminderPlanForm(forms.Form):
    hours_before = forms.CharField(
        label=_("Send reminders this many hours before the start"),
        max_length=60,
        required=False,
        help_text=_("Separated by commas, e.g. “24, 1”. Leave empty for no reminders."),
    )
    include_join_link = forms.BooleanField(
        label=_("Put the join link in reminders (standard online events only)"), required=False
    )

    def clean_hours_before(self):
        from attendance.notices import parse_hours

        text = self.cleaned_data["hours_before"]
        parse_hours(text)  # raises ValidationError with a message for the field
        return text


class UpdateForm(forms.Form):
    body = forms.CharField(label=_("Update"), widget=forms.Textarea(attrs={"rows": 4}))
    notify = forms.BooleanField(
        label=_("Notify registrants by e-mail (those who asked for updates)"), required=False
    )
