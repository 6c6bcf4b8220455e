from django.contrib import admin

from events import selectors as event_selectors
from events.admin import is_organizer
from privacy.models import PersonalDataAccess


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Organizers see who in their organizations looked at personal data."""

    list_display = ["at", "username", "action", "event", "where"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("event")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization__in=event_selectors.organizations_for(request.user))

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
