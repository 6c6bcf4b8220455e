"""The interpreter's page (secret link) and the coordinators' coverage dashboard."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from events import selectors as event_selectors
from events.feeds import calendar_response
from interpretation import selectors, services
from interpretation.forms import AssignForm, PlanForm, SuggestionForm
from interpretation.messages import assignment_note
from interpretation.models import Assignment
from interpretation.suggestions import suggest_interpreters
from registrations.views import keep_secret, secret_page, unknown_link

# The interpreter's page --------------------------------------------------------


# The secret link guards these forms, as on the registrant's manage page: a
# CSRF token adds nothing, and with "no-referrer" browsers send "Origin: null".
@csrf_exempt
@secret_page
@require_http_methods(["GET", "POST"])
def interpreter_page(request, token: str):
    interpreter = services.interpreter_for_token(token)
    if interpreter is None:
        return unknown_link(request)
    error, status = None, 200
    if request.method == "POST":
        error = answer(request, interpreter)
        if error is None:
            return redirect("interpretation:page", token=token)
        status = 409
    feed = request.build_absolute_uri(reverse("interpretation:feed", kwargs={"token": token}))
    assignments = selectors.assignments_for_page(interpreter)
    context = {
        "interpreter": interpreter,
        "invitations": [a for a in assignments if a.status == Assignment.Status.INVITED],
        "accepted": [a for a in assignments if a.status == Assignment.Status.ACCEPTED],
        "feed_https": feed,
        "feed_webcal": "webcal://" + feed.split("://", 1)[1],
        "error": error,
    }
    return render(request, "interpretation/interpreter_page.html", context, status=status)


def answer(request, interpreter) -> str | None:
    """Accept or decline one of the interpreter's invitations; the error, if any."""
    raw = request.POST.get("assignment", "")
    assignment = (
        Assignment.objects.filter(pk=int(raw), interpreter=interpreter).first()
        if raw.isdigit() and len(raw) < 18
        else None
    )
    if assignment is None:
        return _("That invitation is not on your page. Refresh the page and try again.")
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.accept_assignment(assignment=assignment)
        elif action == "decline":
            services.decline_assignment(assignment=assignment)
        else:
            return _("That action is not known. Use one of the buttons on this page.")
    except services.InterpretationError as error:
        return str(error)
    return None


def interpreter_feed(request, token: str):
    interpreter = services.interpreter_for_token(token)
    if interpreter is None:
        return unknown_link(request)
    latest = selectors.feed_assignments(interpreter)
    events = event_selectors.events_with_details(selectors.feed_events(interpreter))
    version = ",".join(f"{a.pk}:{a.status}:{a.updated_at.timestamp()}" for a in latest.values())
    response = calendar_response(
        request,
        events,
        name=_("My interpreting"),
        filename="interpreting.ics",
        attachment=False,
        cache_control="private, no-store",
        version_extra=version,
        note_for=lambda event: assignment_note(latest[event.pk]),
        cancelled=lambda event: latest[event.pk].status != Assignment.Status.ACCEPTED,
    )
    return keep_secret(response)


# The coordinators' dashboard ---------------------------------------------------


def coordinator_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.is_coordinator(request.user):
            return render(request, "interpretation/not_coordinator.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@coordinator_required
def dashboard(request):
    context = {
        "coverage": selectors.upcoming_coverage(request.user),
        "campaigns": selectors.coordinated_campaigns(request.user),
    }
    return render(request, "interpretation/dashboard.html", context)


@coordinator_required
def campaign_dashboard(request, slug: str):
    campaign = get_object_or_404(selectors.coordinated_campaigns(request.user), slug=slug)
    context = {"campaign": campaign, "cities": selectors.campaign_coverage(campaign)}
    return render(request, "interpretation/campaign.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def event_dashboard(request, event_id: int):
    event = coordinated_event(request, event_id)
    form = AssignForm(event=event, initial={"role": Assignment.Role.LEAD})
    status = 200
    if request.method == "POST":
        form = AssignForm(request.POST, event=event)
        if form.is_valid():
            try:
                assignment = services.assign_interpreter(event=event, **form.cleaned_data)
            except services.InterpretationError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                return back_to_event(event.pk, assignment.target_id)
        else:
            status = 400
    return render_event(request, event, form=form, status=status)


def render_event(request, event, *, form, plan_form=None, status=200):
    [item] = selectors.coverage(selectors.coverage_events(type(event).objects.filter(pk=event.pk)))
    language = SuggestionForm(request.GET) if "language" in request.GET else None
    chosen = language.cleaned_data["language"] if language and language.is_valid() else None
    if chosen is None and item.needs:
        open_needs = [need for need in item.needs if need.state != selectors.State.COVERED]
        chosen = (open_needs or item.needs)[0].language
    context = {
        "event": event,
        "item": item,
        "assignments": selectors.event_assignments(event),
        "form": form,
        "plan_form": plan_form or PlanForm(instance=selectors.plan_of(event)),
        "language_form": language,
        "chosen": chosen,
        "suggestions": suggest_interpreters(event=event, target=chosen) if chosen else None,
    }
    return render(request, "interpretation/event.html", context, status=status)


def coordinated_event(request, event_id: int):
    event = (
        selectors.coordinated_events(request.user)
        .select_related("language", "venue", "organization")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise Http404
    return event


@coordinator_required
@require_POST
def event_plan(request, event_id: int):
    event = coordinated_event(request, event_id)
    plan_form = PlanForm(request.POST, instance=selectors.plan_of(event))
    if not plan_form.is_valid():
        form = AssignForm(event=event, initial={"role": Assignment.Role.LEAD})
        return render_event(request, event, form=form, plan_form=plan_form, status=400)
    services.save_plan(event=event, **plan_form.cleaned_data)
    return redirect("interpretation:event", event_id=event.pk)


@coordinator_required
@require_POST
def assignment_action(request, assignment_id: int):
    assignment = get_object_or_404(
        Assignment.objects.filter(event__in=selectors.coordinated_events(request.user)),
        pk=assignment_id,
    )
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            services.withdraw_assignment(assignment=assignment)
        elif action == "invite":
            services.invite_assignment(assignment=assignment)
        else:
            raise services.InterpretationError(
                _("That action is not known. Use one of the buttons on this page."), code="action"
            )
    except services.InterpretationError as error:
        form = AssignForm(event=assignment.event, initial={"role": Assignment.Role.LEAD})
        form.add_error(None, str(error))
        event = coordinated_event(request, assignment.event_id)
        return render_event(request, event, form=form, status=409)
    return back_to_event(assignment.event_id, assignment.target_id)


def back_to_event(event_id: int, language: str):
    """The event's page, with the suggestions for the language just worked on."""
    url = reverse("interpretation:event", kwargs={"event_id": event_id})
    return redirect(f"{url}?{urlencode({'language': language})}")
