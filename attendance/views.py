"""Organizers' dashboards and marshals' phone pages under /dashboard/.

Organizers see their organization's events; marshals only the counter and
check-in of the events they are assigned to. Anything else is a 404, so a
page does not even say that an event exists.
"""

import itertools
import uuid

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance import exports, selectors, services
from attendance.chart import registrations_chart
from attendance.forms import CheckInForm, MarshalForm, ReminderPlanForm, TapForm, UpdateForm
from attendance.models import MarshalAssignment
from attendance.notices import plan_for
from attendance.occurrences import current_occurrence, parse_occurrence, recent_occurrences
from events.models import Campaign, Event
from events.templatetags.event_time import local_time
from privacy.services import record_access

LOGIN = "attendance:login"


class LoginView(auth_views.LoginView):
    template_name = "attendance/login.html"
    redirect_authenticated_user = True


def dashboard_view(view):
    return login_required(view, login_url=LOGIN)


def organized_event(request, event_id: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("venue", "campaign"), pk=event_id)
    if not selectors.can_organize(request.user, event):
        raise Http404
    return event


def counted_event(request, event_id: int) -> Event:
    event = selectors.event_to_count(request.user, event_id)
    if event is None:
        raise Http404
    return event


def chosen_occurrence(request, event: Event):
    return parse_occurrence(event, request.GET.get("occurrence")) or current_occurrence(event)


@dashboard_view
@require_GET
def home(request):
    user = request.user
    context = {
        "events": selectors.dashboard_events(user)[:100],
        "campaigns": selectors.campaigns_for(user)[:20],
        "marshal_events": selectors.marshal_events(user).select_related("venue"),
        "coordinator": selectors.is_coordinator(user),
    }
    return render(request, "attendance/home.html", context)


@dashboard_view
@require_GET
def event_dashboard(request, event_id: int):
    event = organized_event(request, event_id)
    occurrence = chosen_occurrence(request, event)
    figures = selectors.event_figures(event, occurrence)
    plan = plan_for(event)
    context = {
        "event": event,
        "occurrence": occurrence,
        "occurrences": recent_occurrences(event),
        "figures": figures,
        "chart": registrations_chart(figures.by_day, anonymous=event.is_anonymous),
        "assignments": selectors.assignments_of(event),
        "marshal_form": MarshalForm(),
        "reminder_form": ReminderPlanForm(
            initial={
                "hours_before": plan.hours_before,
                "include_join_link": plan.include_join_link,
            }
        ),
        "update_form": UpdateForm(),
    }
    return render(request, "attendance/event.html", context)


@dashboard_view
@require_POST
def add_marshal(request, event_id: int):
    event = organized_event(request, event_id)
    form = MarshalForm(request.POST)
    if form.is_valid():
        try:
            services.assign_marshal(event=event, **form.cleaned_data)
        except services.AttendanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The marshal can now count and check people in."))
    else:
        messages.error(request, _("Give the login of the marshal."))
    return redirect("attendance:event", event_id=event.pk)


@dashboard_view
@require_POST
def remove_marshal(request, event_id: int, assignment_id: int):
    event = organized_event(request, event_id)
    assignment = get_object_or_404(selectors.assignments_of(event), pk=assignment_id)
    services.remove_marshal(assignment=assignment)
    return redirect("attendance:event", event_id=event.pk)


@dashboard_view
@require_POST
def reminders(request, event_id: int):
    event = organized_event(request, event_id)
    form = ReminderPlanForm(request.POST)
    if form.is_valid():
        services.save_reminder_plan(event=event, **form.cleaned_data)
        messages.success(request, _("Reminders saved."))
    else:
        for error in form.errors.get("hours_before", []):
            messages.error(request, error)
    return redirect("attendance:event", event_id=event.pk)


@dashboard_view
def post_update(request, event_id: int):
    event = organized_event(request, event_id)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            messages.success(request, _("The update is posted."))
            return redirect("attendance:event", event_id=event.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "attendance/update.html", {"event": event, "form": form}, status=status)


def csv_response(lines, filename: str) -> StreamingHttpResponse:
    # A byte-order mark first: spreadsheet apps then read the file as UTF-8
    # (Montréal, ਪੰਜਾਬੀ) instead of guessing an older encoding.
    lines = itertools.chain(["\ufeff"], lines)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@dashboard_view
@require_GET
def event_export(request, event_id: int):
    event = organized_event(request, event_id)
    occurrence = chosen_occurrence(request, event)
    if not event.is_anonymous:  # rows of people: recorded (anonymous events export counts)
        record_access(user=request.user, event=event, action="export", where="dashboard")
    lines = exports.csv_lines(exports.event_rows(event, occurrence))
    return csv_response(lines, f"{event.slug}.csv")


@dashboard_view
def checkin(request, event_id: int):
    event = counted_event(request, event_id)
    occurrence = current_occurrence(event)
    result = error = None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = services.check_in(
                    event=event, code=form.cleaned_data["code"], occurrence=occurrence
                )
            except services.AttendanceError as failure:
                error = str(failure)
            else:
                form = CheckInForm()
    else:
        form = CheckInForm(initial={"code": request.GET.get("code", "")[:20]})
    context = {
        "event": event,
        "occurrence": occurrence,
        "form": form,
        "result": result,
        "error": error,
        "checked_in_time": result
        and local_time(result.checkin.checked_in_at.astimezone(event.zone)),
    }
    status = 400 if request.method == "POST" and (error or form.errors) else 200
    return render(request, "attendance/checkin.html", context, status=status)


@dashboard_view
def counter(request, event_id: int):
    """+1 / −1 for entries and exits. Each button carries a fresh tap id, so a
    form sent twice (a double tap, a reload) counts once."""
    event = counted_event(request, event_id)
    occurrence = current_occurrence(event)
    if request.method == "POST":
        form = TapForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That tap could not be read. Press the button again."))
        else:
            data = form.cleaned_data
            tap = services.TapInput(data["tap_id"], data["direction"], data["delta"])
            services.record_taps(event=event, occurrence=occurrence, device="form", taps=[tap])
        return redirect("attendance:counter", event_id=event.pk)
    assignment = MarshalAssignment.objects.filter(event=event, user=request.user).first()
    context = {
        "event": event,
        "occurrence": occurrence,
        "gate": assignment.gate if assignment else "",
        "figures": selectors.tally(event, occurrence),
        "buttons": [
            (direction, delta, uuid.uuid4().hex) for direction in ("in", "out") for delta in (1, -1)
        ],
    }
    return render(request, "attendance/counter.html", context)


def campaign_for(request, slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=slug)
    if not selectors.campaigns_for(request.user).filter(pk=campaign.pk).exists():
        raise Http404
    return campaign


@dashboard_view
@require_GET
def campaign(request, slug: str):
    campaign = campaign_for(request, slug)
    city_rows, totals = selectors.campaign_rollup(campaign, timezone.now())
    context = {"campaign": campaign, "rows": city_rows, "totals": totals}
    return render(request, "attendance/campaign.html", context)


@dashboard_view
@require_GET
def campaign_fragment(request, slug: str):
    """The roll-up table alone, as JSON holding its HTML, for the page's refresh."""
    campaign = campaign_for(request, slug)
    city_rows, totals = selectors.campaign_rollup(campaign, timezone.now())
    context = {"campaign": campaign, "rows": city_rows, "totals": totals}
    html = render(request, "attendance/_rollup_table.html", context).content.decode()
    response = JsonResponse(
        {
            "html": html,
            "totals": {
                "confirmed": totals.confirmed_people,
                "checked_in": totals.checked_in_people,
                "inside": totals.inside,
                "online_now": totals.online_now,
            },
            "events": [
                {
                    "id": row.event.pk,
                    "city": row.city,
                    "confirmed": row.figures.confirmed_people,
                    "checked_in": row.figures.checked_in_people,
                    "inside": row.figures.inside,
                    "online_now": row.figures.online_now,
                }
                for row in city_rows
            ],
            "updated": timezone.now().isoformat(),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@dashboard_view
@require_GET
def campaign_export(request, slug: str):
    campaign = campaign_for(request, slug)
    lines = exports.csv_lines(exports.campaign_rows(campaign, timezone.now()))
    return csv_response(lines, f"{campaign.slug}.csv")
