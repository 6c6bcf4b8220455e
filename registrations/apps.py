from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Supporters' registrations, capacity and the waiting line, the manage link."""

    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events import signals
        from registrations import receivers

        signals.event_saved.connect(receivers.follow_event, dispatch_uid="registrations-seats")
        signals.capacity_requested.connect(
            receivers.check_capacity, dispatch_uid="registrations-capacity"
        )
