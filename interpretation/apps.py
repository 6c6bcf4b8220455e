from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretationConfig(AppConfig):
    """Interpreters, the languages people ask for, assignments and coverage."""

    name = "interpretation"
    verbose_name = _("Interpretation")

    def ready(self):
        from events import signals
        from interpretation import receivers

        signals.event_saved.connect(receivers.follow_event, dispatch_uid="interpretation-event")
