"""The registration form and the manage page reached by the secret link."""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from events import selectors as event_selectors
from registrations import ratelimit, services
from registrations.forms import ChangeRegistrationForm, RegistrationForm
from registrations.messages import manage_path
from registrations.models import Registration
from registrations.reveal import join_details


def keep_secret(response):
    """A page that shows or is reached by a secret link: never cached, and its
    address never sent to another site as a referrer."""
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def secret_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return keep_secret(view(request, *args, **kwargs))

    return wrapper


def too_many(request, retry_after: int, *, back: str = ""):
    context = {"minutes": -(-retry_after // 60), "back": back}
    response = render(request, "registrations/rate_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def unknown_link(request):
    """The one answer to any secret link that opens nothing (unknown, replaced,
    mistyped): a 404, or a 429 once a client has missed too often."""
    wait = ratelimit.over_limit(request, scope="manage-miss", limit=settings.MANAGE_LINK_MISS_LIMIT)
    if wait:
        return keep_secret(too_many(request, wait))
    return keep_secret(render(request, "registrations/link_not_found.html", status=404))


def no_store(view):
    """The form carries a CSRF token and its answer may carry a secret link."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


@no_store
@require_http_methods(["GET", "POST"])
def register(request, slug: str):
    event = event_selectors.event_for_page(slug=slug, user=request.user)
    if event is None:
        raise Http404
    try:
        services.check_open_for_registration(event)
    except services.RegistrationError as error:
        return render(
            request, "registrations/register.html", {"event": event, "closed": str(error)}
        )
    if request.method == "GET":
        form = RegistrationForm(event=event)
        return render(request, "registrations/register.html", {"event": event, "form": form})
    wait = ratelimit.over_limit(request, scope="register", limit=settings.REGISTRATION_RATE_LIMIT)
    if wait:
        return too_many(request, wait, back=event.get_absolute_url())
    form = RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        context = {"event": event, "form": form}
        return render(request, "registrations/register.html", context, status=400)
    try:
        result = services.register_attendee(event=event, **form.service_arguments())
    except services.RegistrationError as error:
        form.add_error(None, str(error))
        context = {"event": event, "form": form}
        return render(request, "registrations/register.html", context, status=409)
    if result.emailed:
        # The address as typed, so that a mistake in it can be seen.
        context = {"event": event, "email": form.cleaned_data["email"]}
        return render(request, "registrations/check_email.html", context)
    return show_link(request, result.registration, result.token)


def show_link(request, registration: Registration, token: str | None):
    context = {
        "event": registration.event,
        "registration": registration,
        "link": request.build_absolute_uri(manage_path(token)) if token else None,
        "position": services.waiting_position(registration),
        # This answer is shown once: a change of language leads to the
        # person's own page rather than back to an empty form.
        "language_next": manage_path(token) if token else None,
    }
    return keep_secret(render(request, "registrations/registered.html", context))


# The secret link itself is what guards these forms: whoever can post to the
# address already holds the key. A CSRF token would add nothing, and with
# "no-referrer" browsers send "Origin: null", which Django's check refuses.
@csrf_exempt
@secret_page
@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    registration = services.registration_for_token(token)
    if registration is None:
        return unknown_link(request)
    if request.method == "POST":
        return manage_action(request, registration, token)
    return manage_page(request, registration)


def show_feed_link(request, registration: Registration, token: str):
    https = request.build_absolute_uri(reverse("registrations:feed", kwargs={"token": token}))
    context = {
        "event": registration.event,
        "https": https,
        "webcal": "webcal://" + https.split("://", 1)[1],
    }
    return render(request, "registrations/feed_link.html", context)


def manage_page(request, registration, *, change_form=None, error=None, status=200):
    event = registration.event
    context = {
        "event": event,
        "registration": registration,
        "position": services.waiting_position(registration),
        "join": join_details(registration, timezone.now()),
        "change_form": change_form
        or ChangeRegistrationForm(
            event=event,
            has_email=bool(registration.email),
            initial={
                **stored_choices(registration),
                "consent_to_updates": registration.consent_to_updates,
            },
        ),
        "error": error,
        "can_register_again": registration.status == Registration.Status.CANCELLED
        and open_for_registration(event),
        "saved": request.method == "GET" and request.GET.get("saved") == "1",
        "renewed_link": request.build_absolute_uri(request.path)
        if request.method == "GET" and request.GET.get("renewed") == "1"
        else None,
    }
    return render(request, "registrations/manage.html", context, status=status)


def open_for_registration(event) -> bool:
    try:
        services.check_open_for_registration(event)
    except services.RegistrationError:
        return False
    return True


def manage_action(request, registration, token: str):
    action = request.POST.get("action")
    try:
        if action == "cancel":
            if request.POST.get("confirm") != "yes":
                error = _("Tick “Yes, I want to cancel” to cancel your registration.")
                return manage_page(request, registration, error=error, status=400)
            services.cancel_registration(registration=registration)
        elif action == "change":
            form = ChangeRegistrationForm(
                request.POST, event=registration.event, has_email=bool(registration.email)
            )
            if not form.is_valid():
                show_stored_choices(form, registration)
                return manage_page(request, registration, change_form=form, status=400)
            try:
                services.change_registration(registration=registration, **form.service_arguments())
            except services.RegistrationError as error:
                # Said above the form, which keeps what the person chose.
                registration.refresh_from_db()
                form.add_error(None, str(error))
                return manage_page(request, registration, change_form=form, status=409)
            return redirect(manage_path(token) + "?saved=1")
        elif action == "renew":
            new_token = services.renew_manage_token(registration=registration)
            # To the new address: the address bar and a reload then use the
            # link that works, not the one just ended.
            return redirect(manage_path(new_token) + "?renewed=1")
        elif action == "feed":
            feed_token = services.renew_feed_token(registration=registration)
            return show_feed_link(request, registration, feed_token)
        else:
            return manage_page(request, registration, error=unknown_action(), status=400)
    except services.RegistrationError as error:
        registration.refresh_from_db()
        return manage_page(request, registration, error=str(error), status=409)
    return redirect("registrations:manage", token=token)


def stored_choices(registration: Registration) -> dict:
    """The change form's lists as the registration stands."""
    return {
        "party_size": registration.party_size,
        "interpretation_language": registration.interpretation_language_id or "",
        "message_language": registration.message_language,
    }


def show_stored_choices(form: ChangeRegistrationForm, registration: Registration) -> None:
    """A list cannot show a choice it does not offer (a party of 11 sent by
    an altered page): it would show its first one, and saving again without
    a look would make that the choice. It shows what is booked instead; the
    summary above the form says what was wrong."""
    stored = stored_choices(registration)
    form.data = form.data.copy()
    for name in form.errors:
        if name in stored:
            form.data[name] = stored[name]


def unknown_action() -> str:
    return _("That action is not known. Use one of the buttons on this page.")


@csrf_exempt
@secret_page
@require_http_methods(["GET", "POST"])
def stop_updates(request, token: str):
    """The "stop these updates" link of update e-mails: a signed value that
    opens only this. GET asks, POST stops."""
    registration = services.registration_for_stop_token(token)
    if registration is None:
        return unknown_link(request)
    stopped = request.method == "POST"
    if stopped:
        services.stop_updates(registration=registration)
    context = {"event": registration.event, "stopped": stopped}
    return render(request, "registrations/stop_updates.html", context)
