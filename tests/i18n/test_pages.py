"""Pages, e-mails and event content in the visitor's or registrant's language."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.translation import override

from events import services
from events.content import localized_event
from events.models import Event, EventTranslation
from registrations import services as registration_services
from tests import factories


@pytest.fixture
def vigil(organization):
    event = factories.make_event(
        organization,
        title="Night vigil for status",
        description="Bring a candle.",
        starts_at=factories.local("America/Toronto", 3, 19, 30),
    )
    services.save_event_translation(
        translation=EventTranslation(
            event=event,
            language="fr",
            title="Veillée pour la régularisation",
            description="Apportez une bougie.",
            directions="Entrée 93, côté parc",
        )
    )
    return event


def lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_first_visit_follows_the_browser_language(client, vigil):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5").content.decode()
    assert lang_of(html) == "es"
    assert "<h1>Próximos eventos</h1>" in html


def test_language_menu_sets_a_cookie_without_account_or_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "pa", "next": "/?city=Toronto"})
    assert (response.status_code, response["Location"]) == (302, "/?city=Toronto")
    assert response.cookies["django_language"].value == "pa"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert lang_of(html) == "pa"
    assert "ਆਉਣ ਵਾਲੇ ਸਮਾਗਮ" in html
    # Each language is named in itself, so people find their own.
    assert re.findall(r'lang="\w+"(?: selected)?>([^<]+)</option>', html) == [
        "English",
        "Français",
        "Español",
        "ਪੰਜਾਬੀ",
    ]


def test_language_menu_is_on_every_page_and_keeps_the_address(client, vigil):
    html = client.get(vigil.get_absolute_url()).content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert f'name="next" type="hidden" value="{vigil.get_absolute_url()}"' in html
    assert re.findall(r'<option value="(\w+)" lang=', html) == [
        "en",
        "fr",
        "es",
        "pa",
    ]


def test_event_page_shows_the_translation_in_the_visitor_language(client, vigil):
    client.cookies["django_language"] = "fr"
    html = client.get(vigil.get_absolute_url()).content.decode()
    assert '<h1 lang="fr" dir="auto">Veillée pour la régularisation</h1>' in html
    assert "Apportez une bougie." in html
    assert "Entrée 93, côté parc" in html
    assert "pas encore traduite" not in html
    assert re.search(r"19 h 30 – 21 h 30 heure de Toronto", html)


def test_event_page_says_which_language_it_fell_back_to(client, vigil):
    client.cookies["django_language"] = "pa"
    html = client.get(vigil.get_absolute_url()).content.decode()
    assert '<h1 lang="en" dir="auto">Night vigil for status</h1>' in html
    assert (
        '<p class="fallback">ਇਹ ਪੰਨਾ ਅਜੇ ਤੁਹਾਡੀ ਭਾਸ਼ਾ ਵਿੱਚ ਅਨੁਵਾਦ ਨਹੀਂ ਹੋਇਆ; ਇਹ ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ ਦਿਖਾਇਆ ਗਿਆ ਹੈ।</p>'
    ) in html
    assert "19:30 – 21:30 ਟੋਰਾਂਟੋ ਦਾ ਸਮਾਂ" in html


def test_list_shows_translated_titles(client, vigil):
    client.cookies["django_language"] = "fr"
    html = client.get("/").content.decode()
    assert ">Veillée pour la régularisation</a></h3>" in html


def test_right_to_left_content_is_marked_rtl(client, organization):
    event = factories.make_event(
        organization, title="وقفة من أجل الوضع القانوني", content_language="ar"
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<h1 lang="ar" dir="rtl">وقفة من أجل الوضع القانوني</h1>' in html
    assert '<html lang="en" dir="ltr">' in html


def test_updates_show_in_the_visitor_language(client, vigil):
    services.post_event_update(
        event=vigil, body="Moved to entrance 5.", translations={"es": "Nos vemos en la entrada 5."}
    )
    client.cookies["django_language"] = "es"
    html = client.get(vigil.get_absolute_url()).content.decode()
    assert '<div lang="es" dir="auto"><p>Nos vemos en la entrada 5.</p></div>' in html
    client.cookies["django_language"] = "fr"
    html = client.get(vigil.get_absolute_url()).content.decode()
    assert '<div lang="en" dir="auto"><p>Moved to entrance 5.</p></div>' in html


def test_translation_in_the_event_language_is_refused(vigil):
    with pytest.raises(services.EventError):
        services.save_event_translation(
            translation=EventTranslation(event=vigil, language="en", title="Again")
        )


def test_api_exposes_the_translations(anonymous, vigil):
    data = anonymous.get(f"/api/events/{vigil.pk}/").json()
    assert (data["content_language"], data["translations"]) == (
        "en",
        [
            {
                "language": "fr",
                "title": "Veillée pour la régularisation",
                "description": "Apportez une bougie.",
                "directions": "Entrée 93, côté parc",
            }
        ],
    )


def test_share_text_and_qr_code_in_the_visitor_language(client, vigil):
    client.cookies["django_language"] = "es"
    html = client.get(vigil.get_absolute_url()).content.decode()
    url = f"http://testserver{vigil.get_absolute_url()}"
    assert "Comparte este evento" in html
    text = re.search(r'<textarea id="share-text"[^>]*>([^<]*)</textarea>', html).group(1)
    assert text.startswith("Night vigil for status, ")
    assert text.endswith(f"hora de Toronto. Detalles e inscripción: {url}")
    assert '<svg role="img" aria-label="Código QR de la dirección de esta página"' in html


def test_messages_go_out_in_the_registrant_language(
    organization, django_capture_on_commit_callbacks
):
    event = factories.make_event(organization, title="Rally for status")
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register_attendee(
            event=event, email="ana@example.org", message_language="pa"
        )
    (message,) = mail.outbox
    assert message.subject == "ਤੁਸੀਂ ਰਜਿਸਟਰ ਹੋ ਗਏ ਹੋ: Rally for status"
    assert "ਤੁਹਾਡੀ ਥਾਂ 1 ਵਿਅਕਤੀ ਲਈ ਪੱਕੀ ਹੈ।" in message.body
    assert "ਟੋਰਾਂਟੋ ਦਾ ਸਮਾਂ" in message.body


def test_localized_event_matches_regional_variants(vigil):
    assert localized_event(vigil, "fr-ca").title == "Veillée pour la régularisation"
    assert localized_event(vigil, "es").fell_back is True
    with override("fr"):
        assert localized_event(vigil, "es").language_name == "anglais"


def test_capacity_plural_in_punjabi(client, organization):
    event = factories.make_event(organization, capacity=1)
    client.cookies["django_language"] = "pa"
    assert "1 ਵਿਅਕਤੀ ਲਈ ਥਾਂ।" in client.get(event.get_absolute_url()).content.decode()
    Event.objects.filter(pk=event.pk).update(capacity=40)
    assert "40 ਲੋਕਾਂ ਲਈ ਥਾਂ।" in client.get(event.get_absolute_url()).content.decode()


def test_calendar_file_in_the_visitor_language(client, vigil):
    client.cookies["django_language"] = "fr"
    text = client.get(f"/events/{vigil.slug}.ics").content.decode()
    assert "SUMMARY:Veillée pour la régularisation" in text
    assert "DESCRIPTION:Apportez une bougie.\\n\\nDétails et nouvelles\u00a0: http" in text


def test_personal_feed_in_the_registrant_language(client, organization):
    event = factories.make_event(organization, title="Rally for status", status_reason="")
    registration = registration_services.register_attendee(
        event=event, message_language="es"
    ).registration
    token = registration_services.renew_feed_token(registration=registration)
    text = client.get(f"/feeds/{token}.ics", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "X-WR-CALNAME:Mis eventos" in text
    assert "Detalles y novedades: http" in text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Room for 1,200 people."),
        ("fr", "Place pour 1\u00a0200 personnes."),
        ("es", "Hay lugar para 1\u00a0200 personas."),
        ("pa", "1,200 ਲੋਕਾਂ ਲਈ ਥਾਂ।"),
    ],
)
def test_numbers_follow_the_language(client, organization, language, text):
    event = factories.make_event(organization, capacity=1200)
    client.cookies["django_language"] = language
    assert text in client.get(event.get_absolute_url()).content.decode()


def test_email_subject_uses_the_translated_title(vigil, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.register_attendee(
            event=vigil, email="lea@example.org", message_language="fr"
        )
    assert [message.subject for message in mail.outbox] == [
        "Vous êtes inscrit·e\u00a0: Veillée pour la régularisation"
    ]


def test_organizer_sets_translations_through_the_api(as_organizer, vigil):
    response = as_organizer.patch(
        f"/api/events/{vigil.pk}/",
        {
            "translations": [
                {"language": "pa", "title": "ਰਾਤ ਦਾ ਜਾਗਰਣ", "description": "ਮੋਮਬੱਤੀ ਲਿਆਓ।"}
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["translations"] == [
        {"language": "pa", "title": "ਰਾਤ ਦਾ ਜਾਗਰਣ", "description": "ਮੋਮਬੱਤੀ ਲਿਆਓ।", "directions": ""}
    ]
    assert list(vigil.translations.values_list("language", "title")) == [("pa", "ਰਾਤ ਦਾ ਜਾਗਰਣ")]


@pytest.mark.parametrize(
    ("translations", "error"),
    [
        (
            [{"language": "fr", "title": "A"}, {"language": "fr", "title": "B"}],
            "Give at most one translation per language.",
        ),
        (
            [{"language": "en", "title": "Again"}],
            "This is the event's own language: change the title and description instead.",
        ),
    ],
)
def test_api_refuses_duplicate_or_own_language_translations(
    as_organizer, vigil, translations, error
):
    response = as_organizer.patch(
        f"/api/events/{vigil.pk}/", {"translations": translations}, format="json"
    )
    assert (response.status_code, response.json()) == (400, {"translations": [error]})
    assert list(vigil.translations.values_list("language", flat=True)) == ["fr"]
