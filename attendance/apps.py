from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Headcounts: check-in, marshals' tallies, online counts, reminders, dashboards."""

    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from attendance import receivers
        from events import signals

        signals.online_count_changed.connect(
            receivers.store_online_count, dispatch_uid="attendance-online-count"
        )
