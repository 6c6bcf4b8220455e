"""The admin, scoped: organizers see and change only their organizations' data."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import selectors, services
from events.forms import EventAdminForm
from events.models import (
    Campaign,
    Event,
    EventTranslation,
    EventUpdate,
    Language,
    Membership,
    OnlineMeeting,
    Organization,
    Role,
    Venue,
)
from events.templatetags.event_time import moment


def is_organizer(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or user.memberships.filter(role=Role.ORGANIZER).exists()


def may_work_on(user, obj) -> bool:
    """An organizer may work on an object of one of their organizations."""
    if not is_organizer(user):
        return False
    if obj is None or user.is_superuser:
        return True
    return selectors.organizations_for(user).filter(pk=obj.organization_id).exists()


class OrganizationScopedAdmin(admin.ModelAdmin):
    """Rows belong to an organization; a member organizer may work on them."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization__in=selectors.organizations_for(request.user))

    def has_module_permission(self, request):
        return is_organizer(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_work_on(request, obj)

    def has_add_permission(self, request):
        return is_organizer(request.user)

    def has_change_permission(self, request, obj=None):
        return self._may_work_on(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_work_on(request, obj)

    def _may_work_on(self, request, obj) -> bool:
        return may_work_on(request.user, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = selectors.organizations_for(request.user)
        if db_field.name == "organization":
            kwargs["queryset"] = own
        elif db_field.name == "venue":
            kwargs["queryset"] = Venue.objects.filter(organization__in=own)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def same_update_label(name: str) -> str:
    return _("The same update in %(language)s (optional)") % {"language": name}


class EventUpdateForm(forms.ModelForm):
    """An update, and the same update in the site's other languages."""

    class Meta:
        model = EventUpdate
        fields = ["body"]

    for code, name in settings.LANGUAGES:
        locals()[f"body_{code}"] = forms.CharField(
            label=lazy(same_update_label, str)(name),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    del code, name

    def translations(self) -> dict[str, str]:
        data = self.cleaned_data
        return {code: data.get(f"body_{code}", "") for code, _name in settings.LANGUAGES}


class EventUpdateInline(admin.StackedInline):
    model = EventUpdate
    form = EventUpdateForm
    extra = 1
    readonly_fields = ["created_at"]

    def get_fields(self, request, obj=None):
        return ["body", *(f"body_{code}" for code, _name in settings.LANGUAGES), "created_at"]

    # Organizers of the event's organization post and remove updates; nobody
    # rewrites one, since people may already have read it: post a new one.
    def has_view_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return False


class EventTranslationInline(admin.StackedInline):
    """The title, description and directions in other languages."""

    model = EventTranslation
    extra = 0
    fields = ["language", "title", "description", "directions"]

    def has_view_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return may_work_on(request.user, obj)


class OnlineMeetingInline(admin.StackedInline):
    """The join link and passcode, entered by hand when Zoom is not connected."""

    model = OnlineMeeting
    extra = 0
    max_num = 1
    can_delete = True

    def has_view_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return may_work_on(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return may_work_on(request.user, obj)


@admin.register(Event)
class EventAdmin(OrganizationScopedAdmin):
    form = EventAdminForm
    inlines = [EventTranslationInline, OnlineMeetingInline, EventUpdateInline]
    list_display = ["title", "local_start", "status", "visibility", "privacy", "city"]
    list_filter = ["status", "visibility", "privacy", "kind", "format", "campaign"]
    search_fields = ["title", "slug", "venue__city"]
    list_select_related = ["venue"]
    readonly_fields = ["sequence"]
    filter_horizontal = ["interpretation_languages"]
    actions = ["delete_personal_data_now"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organization",
                    "campaign",
                    "title",
                    "slug",
                    "kind",
                    "description",
                    "content_language",
                ]
            },
        ),
        (
            _("When"),
            {
                "fields": [
                    "timezone",
                    "starts_at",
                    "ends_at",
                    "recurrence",
                    "recurrence_exceptions",
                    "drop_in",
                ]
            },
        ),
        (_("Where"), {"fields": ["format", "venue"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "has_waitlist",
                    "registration_opens_at",
                    "registration_closes_at",
                    "require_name",
                ]
            },
        ),
        (_("Status"), {"fields": ["status", "status_reason", "visibility", "privacy", "sequence"]}),
        (
            _("Languages and access"),
            {
                "fields": [
                    "language",
                    "interpretation_languages",
                    "contacts",
                    "accessibility_notes",
                ]
            },
        ),
    ]

    @admin.display(description=_("city"), ordering="venue__city")
    def city(self, event: Event) -> str:
        return event.venue.city if event.venue else _("Online")

    def save_model(self, request, obj, form, change):
        services.save_event(event=obj)

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (services.EventError, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), "error")
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, event: Event) -> str:
        return moment(event.starts_at, event.timezone)

    @admin.action(description=_("Delete the personal data of the selected events now"))
    def delete_personal_data_now(self, request, queryset):
        # Registrations build on events; the imports are here so that events
        # does not depend on them.
        from registrations.retention import purge_event
        from registrations.selectors import registration_counts

        allowed = [event for event in queryset if may_work_on(request.user, event)]
        if request.POST.get("confirm") != "yes":
            rows = []
            for event in allowed:
                counts = registration_counts(event)
                rows.append(
                    {
                        "event": event,
                        "registrations": counts["confirmed_registrations"]
                        + counts["waitlisted_registrations"]
                        + counts["cancelled_registrations"],
                        "upcoming": event.last_ends_at is not None
                        and event.last_ends_at > timezone.now(),
                    }
                )
            context = {
                **self.admin_site.each_context(request),
                "title": _("Delete personal data now?"),
                "rows": rows,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(
                request, "admin/events/event/delete_personal_data.html", context
            )
        deleted = sum(purge_event(event) for event in allowed)
        self.message_user(
            request,
            ngettext(
                "Personal data deleted: %(count)d registration (counts are kept).",
                "Personal data deleted: %(count)d registrations (counts are kept).",
                deleted,
            )
            % {"count": deleted},
            "success",
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is EventTranslation:
            return self.save_translations(formset)
        if formset.model is not EventUpdate:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for update_form in formset.forms:
            new = update_form.instance.pk is None and update_form.has_changed()
            if new and update_form not in formset.deleted_forms:
                services.post_event_update(
                    event=form.instance,
                    body=update_form.cleaned_data["body"],
                    translations=update_form.translations(),
                )
        for update in formset.deleted_objects:
            update.delete()

    def save_translations(self, formset):
        for translation in formset.save(commit=False):
            services.save_event_translation(translation=translation)
        for translation in formset.deleted_objects:
            translation.delete()


@admin.register(Venue)
class VenueAdmin(OrganizationScopedAdmin):
    list_display = ["name", "city", "street_address", "organization"]
    search_fields = ["name", "city", "street_address"]

    def save_model(self, request, obj, form, change):
        services.save_venue(venue=obj)


@admin.register(Campaign)
class CampaignAdmin(OrganizationScopedAdmin):
    list_display = ["name", "starts_on", "ends_on", "organization"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        services.save_campaign(campaign=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Organizations and who holds which role: for the service's administrators."""

    inlines = [MembershipInline]
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "native_name", "is_sign_language", "zoom_name"]
    search_fields = ["code", "name", "native_name"]

    def has_view_permission(self, request, obj=None):
        return is_organizer(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return is_organizer(request.user) or super().has_module_permission(request)
