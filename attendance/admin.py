"""Attendance in the admin: marshal assignments and reminder plans, scoped to
the organizer's organizations. Check-ins and taps are counted on the dashboard."""

from django.contrib import admin

from attendance.models import MarshalAssignment, ReminderPlan
from events import selectors as event_selectors
from events.admin import is_organizer


class EventScopedAdmin(admin.ModelAdmin):
    list_select_related = ["event"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        organizations = event_selectors.organizations_for(request.user)
        return queryset.filter(event__organization__in=organizations)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event" and not request.user.is_superuser:
            organizations = event_selectors.organizations_for(request.user)
            kwargs["queryset"] = db_field.related_model.objects.filter(
                organization__in=organizations
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return is_organizer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(MarshalAssignment)
class MarshalAssignmentAdmin(EventScopedAdmin):
    list_display = ["event", "user", "gate"]
    raw_id_fields = ["user"]


@admin.register(ReminderPlan)
class ReminderPlanAdmin(EventScopedAdmin):
    list_display = ["event", "hours_before", "include_join_link"]
