"""Zoom in the admin: the meetings, and the jobs that wait or gave up, with a
retry action. Organizers see those of their own organizations."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import selectors as event_selectors
from events.admin import is_organizer
from zoomsync import services
from zoomsync.models import ZoomJob, ZoomMeeting


class OwnEventsAdmin(admin.ModelAdmin):
    """Read-only rows of the organizer's own events."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("event")
        if request.user.is_superuser:
            return queryset
        own = event_selectors.organizations_for(request.user)
        return queryset.filter(event__organization__in=own)

    def has_module_permission(self, request):
        return is_organizer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ZoomJob)
class ZoomJobAdmin(OwnEventsAdmin):
    list_display = ["event", "kind", "state", "attempts", "not_before", "last_error"]
    list_filter = ["state", "kind"]
    actions = ["retry_selected"]
    fields = ["event", "kind", "state", "attempts", "not_before", "last_error", "updated_at"]
    readonly_fields = fields

    def get_actions(self, request):
        # The retry action needs no change permission: jobs are not edited.
        actions = super().get_actions(request)
        if not is_organizer(request.user):
            actions.pop("retry_selected", None)
        return actions

    @admin.action(description=_("Try the selected Zoom jobs again now"))
    def retry_selected(self, request, queryset):
        with transaction.atomic():
            count = services.retry_jobs(job_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)s Zoom job queued again.", "%(count)s Zoom jobs queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ZoomMeeting)
class ZoomMeetingAdmin(OwnEventsAdmin):
    list_display = [
        "event",
        "meeting_id",
        "uses_registration",
        "interpretation_applied",
        "participants_now",
        "participants_peak",
    ]
    fields = list_display
    readonly_fields = list_display
