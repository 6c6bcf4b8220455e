"""The admin for coordinators: interpreters (with pairs and hours) and assignments,
scoped to the organizations they coordinate. Every change goes through services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from interpretation import selectors, services
from interpretation.models import Assignment, Availability, Interpreter, LanguagePair, Plan


def is_coordinator_staff(user) -> bool:
    return user.is_active and user.is_staff and selectors.is_coordinator(user)


class CoordinatorAdmin(admin.ModelAdmin):
    organization_path = "organization"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        own = selectors.coordinated_organizations(request.user)
        return queryset.filter(**{f"{self.organization_path}__in": own})

    def has_module_permission(self, request):
        return is_coordinator_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_work_on(request, obj)

    def has_add_permission(self, request):
        return is_coordinator_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return self.may_work_on(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate or withdraw instead: the history stays

    def may_work_on(self, request, obj) -> bool:
        if not is_coordinator_staff(request.user):
            return False
        if obj is None or request.user.is_superuser:
            return True
        organization_id = (
            obj.organization_id if isinstance(obj, Interpreter) else obj.event.organization_id
        )
        return selectors.coordinated_organizations(request.user).filter(pk=organization_id).exists()

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (services.InterpretationError, ValidationError) as error:
            self.message_user(
                request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())


class ChildInline(admin.TabularInline):
    extra = 1

    def has_view_permission(self, request, obj=None):
        return is_coordinator_staff(request.user)

    def has_add_permission(self, request, obj=None):
        return is_coordinator_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_coordinator_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_coordinator_staff(request.user)


class LanguagePairInline(ChildInline):
    model = LanguagePair


class AvailabilityInline(ChildInline):
    model = Availability


@admin.register(Interpreter)
class InterpreterAdmin(CoordinatorAdmin):
    inlines = [LanguagePairInline, AvailabilityInline]
    list_display = ["name", "organization", "timezone", "languages", "is_active"]
    list_filter = ["is_active", "sign", "simultaneous_online", "whisper", "consecutive"]
    search_fields = ["name"]
    actions = ["send_new_link"]
    fieldsets = [
        (None, {"fields": ["organization", "name", "email", "phone", "message_language"]}),
        (
            _("How and when"),
            {"fields": ["timezone", "simultaneous_online", "whisper", "consecutive", "sign"]},
        ),
        (_("Status"), {"fields": ["is_active"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("pairs")

    @admin.display(description=_("languages"))
    def languages(self, interpreter: Interpreter) -> str:
        return ", ".join(str(pair) for pair in interpreter.pairs.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = selectors.coordinated_organizations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            services.save_interpreter(interpreter=obj)
        else:
            services.create_interpreter(interpreter=obj)

    @admin.action(description=_("E-mail a new secret link (the old one stops working)"))
    def send_new_link(self, request, queryset):
        for interpreter in queryset:
            services.renew_interpreter_link(interpreter=interpreter)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)s new link sent.", "%(count)s new links sent.", count)
            % {"count": count},
        )


@admin.register(Assignment)
class AssignmentAdmin(CoordinatorAdmin):
    organization_path = "event__organization"
    list_display = ["event", "interpreter", "source", "target", "role", "status"]
    list_filter = ["status", "role", "target"]
    list_select_related = ["event", "interpreter", "source", "target"]
    fields = ["event", "interpreter", "target", "role", "status", "source"]
    actions = ["withdraw", "invite"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "source"]
        return self.fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = selectors.coordinated_events(request.user).order_by("starts_at")
        elif db_field.name == "interpreter":
            kwargs["queryset"] = selectors.coordinated_interpreters(request.user).filter(
                is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields.pop("source", None)
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            assignment = services.assign_interpreter(
                event=obj.event, interpreter=obj.interpreter, target=obj.target, role=obj.role
            )
            obj.pk = assignment.pk

    def save_related(self, request, form, formsets, change):
        return None

    @admin.action(description=_("Withdraw"))
    def withdraw(self, request, queryset):
        for assignment in queryset:
            services.withdraw_assignment(assignment=assignment)

    @admin.action(description=_("Send the invitation"))
    def invite(self, request, queryset):
        for assignment in queryset.filter(status=Assignment.Status.PROPOSED):
            services.invite_assignment(assignment=assignment)


@admin.register(Plan)
class PlanAdmin(CoordinatorAdmin):
    organization_path = "event__organization"
    list_display = ["event", "request_threshold", "travel_buffer_minutes"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = selectors.coordinated_events(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.pk = services.save_plan(
            event=obj.event,
            request_threshold=obj.request_threshold,
            travel_buffer_minutes=obj.travel_buffer_minutes,
        ).pk
