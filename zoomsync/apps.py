from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoomsyncConfig(AppConfig):
    """Zoom meetings, registrants and webhooks of online events."""

    name = "zoomsync"
    verbose_name = _("Zoom")

    def ready(self):
        from events import signals as event_signals
        from registrations import signals as registration_signals
        from zoomsync import receivers

        event_signals.event_saved.connect(receivers.follow_event, dispatch_uid="zoomsync-event")
        event_signals.interpreters_changed.connect(
            receivers.follow_interpreters, dispatch_uid="zoomsync-interpreters"
        )
        registration_signals.registration_changed.connect(
            receivers.follow_registration, dispatch_uid="zoomsync-registration"
        )
        event_signals.personal_data_expired.connect(
            receivers.forget_people, dispatch_uid="zoomsync-retention"
        )
