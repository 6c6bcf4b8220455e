"""Registrations in the admin: rows for standard events only.

Registrations of anonymous events never appear as rows here; organizers see
their counts on the event's page in the admin.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import selectors as event_selectors
from events.admin import is_organizer
from events.models import Event
from privacy.services import record_access
from registrations import services
from registrations.models import Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "party_size", "name", "email", "created_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email"]
    list_select_related = ["event"]
    actions = ["cancel_selected"]
    readonly_fields = [
        "event",
        "status",
        "party_size",
        "name",
        "email",
        "interpretation_language",
        "message_language",
        "accessibility_needs",
        "consent_to_updates",
        "created_at",
        "checked_in_at",
    ]
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            for event in {registration.event for registration in changelist.result_list}:
                record_access(user=request.user, event=event, action="list", where="admin")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            record_access(user=request.user, event=original.event, action="view", where="admin")
        return response

    def get_queryset(self, request):
        queryset = super().get_queryset(request).exclude(event__privacy=Event.Privacy.ANONYMOUS)
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

    def get_actions(self, request):
        actions = super().get_actions(request)
        if is_organizer(request.user):
            actions["cancel_selected"] = self.get_action("cancel_selected")
        return actions

    @admin.action(description=_("Cancel the selected registrations (frees their seats)"))
    def cancel_selected(self, request, queryset):
        count = 0
        for registration in queryset.select_related("event"):
            if registration.status != Registration.Status.CANCELLED:
                services.cancel_registration(registration=registration)
                count += 1
        self.message_user(
            request,
            ngettext("%d registration cancelled.", "%d registrations cancelled.", count) % count,
            messages.SUCCESS,
        )
