from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Supporters' registrations, capacity and the manage link (issue: Registrations)."""

    name = "registrations"
    verbose_name = _("Registrations")
