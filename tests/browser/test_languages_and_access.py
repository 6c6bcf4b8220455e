"""Phone-sized visitors in Spanish and Punjabi, an organizer's update, and
axe-core on every public page, in a real Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events import services as event_services
from events.demo import load_demo
from events.models import Event
from registrations.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    factories.ensure_languages()
    load_demo()
    return Event.objects.get(slug="open-assembly-undocumented")


@pytest.fixture
def phone_context(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 780}, locale="en-CA", is_mobile=True, has_touch=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def choose_language(page, name: str) -> None:
    page.locator("#language-select").select_option(label=name)
    page.locator("form.language button").click()


def test_phone_visitor_in_spanish_registers_without_a_name_and_comes_back(
    live_server, demo, phone_context, shot, accessible, phone_ready
):
    page = phone_context.new_page()
    page.goto(live_server.url + "/")
    phone_ready(page)
    shot(page, "es-1-list-in-english")

    choose_language(page, "Español")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Próximos eventos").is_visible()
    accessible(page)
    shot(page, "es-2-list-in-spanish")

    page.get_by_role(
        "link", name="Asamblea abierta de personas migrantes sin papeles y sus aliadas"
    ).click()
    assert page.url == f"{live_server.url}/events/{demo.slug}/"
    accessible(page)
    phone_ready(page)
    shot(page, "es-3-event-page")

    page.get_by_role("link", name="Inscribirse (no hace falta nombre)").click()
    assert page.locator("input[name=name]").count() == 0
    assert page.locator("#id_message_language").input_value() == "es"
    accessible(page)
    phone_ready(page)
    shot(page, "es-4-form")
    page.get_by_role("button", name="Inscribirse").click()

    assert page.get_by_role("heading", name="Tu inscripción está confirmada").is_visible()
    accessible(page)
    phone_ready(page)
    page.get_by_role("button", name="Copiar el enlace").click()
    expect(page.get_by_role("button", name="Copiado")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.locator("#manage-link").input_value()
    assert link.startswith(f"{live_server.url}/r/")
    shot(page, "es-5-link-copied")
    stored = Registration.objects.get(event=demo)
    assert (stored.name, stored.email, stored.message_language) == ("", "", "es")

    page.goto(link)
    opens = demo.local_start - dt.timedelta(minutes=30)
    body = page.locator("main").inner_text()
    assert "Vuelve el " in body
    assert f"{opens:%H:%M} hora de Toronto." in body
    assert "meet.example.org" not in page.content()
    accessible(page)
    phone_ready(page)
    shot(page, "es-6-come-back-at")


def test_organizer_posts_an_update_in_two_languages(live_server, demo, browser, shot):
    factories.make_user(organization=demo.organization, username="orga")
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("orga")
    page.get_by_label("Password").fill("a long test password")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/events/event/{demo.pk}/change/")
    shot(page, "organizer-1-event-form")
    page.locator("#id_updates-0-body").fill("The assembly starts 10 minutes late.")
    page.locator("#id_updates-0-body_es").fill("La asamblea empieza 10 minutos tarde.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    shot(page, "organizer-2-update-posted")
    context.close()

    visitor = browser.new_context(viewport={"width": 360, "height": 780}, locale="es")
    page = visitor.new_page()
    page.goto(f"{live_server.url}/events/{demo.slug}/")
    updates = page.locator(".update").first.inner_text()
    assert "La asamblea empieza 10 minutos tarde." in updates
    shot(page, "organizer-3-update-seen-in-spanish")
    visitor.close()


@pytest.mark.parametrize("language", ["en", "pa"])
def test_every_public_page_passes_axe_and_fits_a_phone(
    live_server, demo, phone_context, shot, accessible, phone_ready, language
):
    organization = demo.organization
    rtl = factories.make_event(
        organization,
        title="اجتماع عام: الإقامة الدائمة للجميع",
        description="نلتقي عند المدخل الرئيسي. القهوة مجانية.",
        content_language="ar",
    )
    full = factories.make_event(organization, title="Small legal clinic", capacity=0)
    phone_context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = phone_context.new_page()

    def visit(path: str, name: str, status: int = 200) -> None:
        response = page.goto(live_server.url + path)
        assert response.status == status, path
        assert page.locator("html").get_attribute("lang") == language
        accessible(page)
        phone_ready(page)
        shot(page, f"{language}-{name}")

    visit("/", "list")
    visit("/?city=Nowhere", "list-with-errors", status=400)
    visit("/campaigns/status-for-all/", "campaign")
    visit(f"/events/{demo.slug}/", "assembly")
    visit(f"/events/{rtl.slug}/", "arabic-event")
    assert page.locator("h1").get_attribute("dir") == "rtl"
    visit(f"/events/{full.slug}/register/", "closed-form")
    visit(f"/events/{demo.slug}/register/", "form")
    page.locator("#id_email").fill("not an address")
    page.locator("form.stack button[type=submit]").click()
    assert page.locator(".field-error").count() == 1
    # The summary above the form takes the focus and leads to the field to correct.
    expect(page.locator("#form-errors")).to_be_focused()
    page.locator("#form-errors a").click()
    expect(page.locator("#id_email")).to_be_focused()
    # Sent again from there, the answer takes the focus to its summary again
    # (the link's #fragment is not carried into the next page).
    page.locator("form.stack button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert "#" not in page.url
    accessible(page)
    phone_ready(page)
    shot(page, f"{language}-form-with-error")
    page.locator("#id_email").fill("")
    page.locator("form.stack button[type=submit]").click()
    accessible(page)
    phone_ready(page)
    shot(page, f"{language}-registered")
    manage = page.locator("#manage-link").input_value()
    visit(manage.removeprefix(live_server.url), "manage")
    visit("/r/not-a-real-link/", "link-not-found", status=404)
    visit("/privacy/", "privacy")
    visit("/events/no-such-event/", "not-found", status=404)


def test_join_link_page_in_punjabi_when_it_opens(live_server, demo, phone_context, accessible):
    starts = timezone.now() + dt.timedelta(minutes=20)
    demo.starts_at, demo.ends_at = starts, starts + dt.timedelta(hours=1)
    event_services.save_event(event=demo)
    phone_context.add_cookies([{"name": "django_language", "value": "pa", "url": live_server.url}])
    page = phone_context.new_page()
    page.goto(f"{live_server.url}/events/{demo.slug}/register/")
    page.locator("form.stack button[type=submit]").click()
    link = page.locator("#manage-link").input_value()
    page.goto(link)
    assert page.get_by_role("link", name="ਮੀਟਿੰਗ ਵਿੱਚ ਜੁੜੋ").get_attribute("href") == (
        "https://meet.example.org/j/81234567890"
    )
    accessible(page)
    # The menu works on the secret page too (sent with "no-referrer").
    choose_language(page, "English")
    assert page.url == link
    expect(page.get_by_role("link", name="Join the meeting")).to_be_visible()


def test_axe_check_and_phone_check_report_what_they_find(phone, accessible, phone_ready):
    phone.set_content(
        '<html lang="en"><body><main><img src="data:,"><p><a href="#">x</a></p>'
        '<div style="width: 500px">wide</div></main></body></html>'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        accessible(phone)
    with pytest.raises(AssertionError, match=r"= \(508, \['<a href=\"#\">x</a>'\]\)"):
        phone_ready(phone)
