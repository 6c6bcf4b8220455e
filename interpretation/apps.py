from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretationConfig(AppConfig):
    """Interpreters and their assignments (issue: Interpretation)."""

    name = "interpretation"
    verbose_name = _("Interpretation")
