"""Check-in codes, the check-in page, and the QR code on the manage page."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from attendance import services
from attendance.models import CheckIn, CheckinCode
from attendance.qr import qr_svg
from registrations import services as registration_services
from registrations.models import Registration
from tests import factories
from tests.attendance.conftest import client_for, register

CODE = re.compile(r'<p class="checkin-code">([0-9A-Z]{4}-[0-9A-Z]{4})</p>')


def manage_page(token: str):
    return Client().get(f"/r/{token}/")


def registered_with_token(event, party_size=1):
    result = registration_services.register_attendee(event=event, party_size=party_size)
    return result.registration, result.token


def test_code_is_short_typable_and_stored_only_as_keyed_hash(rally):
    registration, token = registered_with_token(rally)
    code = services.checkin_code_for(registration=registration)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", code)
    row = CheckinCode.objects.get(registration=registration)
    stored = {row.nonce, row.code_hash}
    assert code.replace("-", "") not in stored
    assert token not in code and code.replace("-", "") not in token
    assert services.checkin_code_for(registration=registration) == code  # stable


def test_code_typed_loosely_still_finds_the_registration(rally):
    registration, _token = registered_with_token(rally)
    code = services.checkin_code_for(registration=registration)
    sloppy = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert services.registration_for_code(event=rally, code=sloppy) == registration


def test_code_of_one_event_opens_nothing_at_another(organization, rally):
    other = factories.make_event(organization, title="Other rally")
    registration, _token = registered_with_token(rally)
    code = services.checkin_code_for(registration=registration)
    assert services.registration_for_code(event=other, code=code) is None


def test_manage_page_shows_qr_code_of_checkin_code_not_token(rally):
    registration, token = registered_with_token(rally)
    page = manage_page(token).content.decode()
    code = CODE.search(page).group(1)
    assert code == services.checkin_code_for(registration=registration)
    assert '<svg width="' in page and 'class="qr-code"' in page
    svg = page[page.index('<svg width="') : page.index("</svg>")]
    assert token not in svg


def test_manage_page_of_online_event_has_no_checkin(organization):
    assembly = factories.make_assembly(organization)
    _registration, token = registered_with_token(assembly)
    assert "checkin-code" not in manage_page(token).content.decode()


def test_check_in_counts_the_party_once_and_says_when(organizer, rally):
    registration, _token = registered_with_token(rally, party_size=3)
    code = services.checkin_code_for(registration=registration)
    at = dt.datetime(2026, 11, 25, 0, 4, tzinfo=dt.UTC)  # 7:04 pm in Toronto
    first = services.check_in(event=rally, code=code, now=at)
    again = services.check_in(event=rally, code=code, now=at + dt.timedelta(minutes=9))
    assert (first.already, again.already) == (False, True)
    assert CheckIn.objects.filter(event=rally).count() == 1
    assert again.checkin.checked_in_at == at
    registration.refresh_from_db()
    assert registration.checked_in_at == at
    client = client_for(organizer)
    response = client.post(f"/dashboard/events/{rally.pk}/checkin/", {"code": code})
    assert response.status_code == 200
    assert "Already checked in at 7:04 p.m." in response.content.decode()
    assert CheckIn.objects.get(event=rally).people == 3


def test_check_in_page_checks_in_by_typed_code(marshal, rally):
    registration, _token = registered_with_token(rally, party_size=2)
    code = services.checkin_code_for(registration=registration)
    response = client_for(marshal).post(
        f"/dashboard/events/{rally.pk}/checkin/", {"code": code.lower()}
    )
    assert response.status_code == 200
    assert "Checked in: 2 people." in response.content.decode()


def test_scanned_qr_link_fills_in_the_code_without_checking_in(marshal, rally):
    registration, _token = registered_with_token(rally)
    code = services.checkin_code_for(registration=registration)
    response = client_for(marshal).get(f"/dashboard/events/{rally.pk}/checkin/?code={code}")
    assert f'value="{code}"' in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_unknown_code_is_a_clear_error(marshal, rally):
    response = client_for(marshal).post(
        f"/dashboard/events/{rally.pk}/checkin/", {"code": "ZZZZ-ZZZZ"}
    )
    assert response.status_code == 400
    assert "No registration for this event has this code" in response.content.decode()
    short = client_for(marshal).post(f"/dashboard/events/{rally.pk}/checkin/", {"code": "AB"})
    assert short.status_code == 400
    assert "A check-in code has 8 letters and digits" in short.content.decode()


def test_cancelled_registration_is_not_checked_in(rally):
    registration, _token = registered_with_token(rally)
    code = services.checkin_code_for(registration=registration)
    registration_services.cancel_registration(registration=registration)
    with pytest.raises(services.AttendanceError, match="cancelled"):
        services.check_in(event=rally, code=code)
    assert CheckIn.objects.count() == 0


def test_recurring_event_checks_in_once_per_occurrence(organization, venue):
    starts = factories.local("America/Toronto", -1, 19)
    nightly = factories.make_event(
        organization,
        venue=venue,
        title="Nightly gathering",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        recurrence="FREQ=DAILY;COUNT=5",
    )
    registration = register(nightly, party_size=2)
    code = services.checkin_code_for(registration=registration)
    first_night, second_night = (start for start, _end in nightly.occurrences(limit=2))
    services.check_in(event=nightly, code=code, occurrence=first_night)
    services.check_in(event=nightly, code=code, occurrence=second_night)
    again = services.check_in(event=nightly, code=code, occurrence=second_night)
    assert again.already
    assert sorted(CheckIn.objects.values_list("occurrence", flat=True)) == [
        first_night,
        second_night,
    ]
    assert Registration.objects.get(pk=registration.pk).checked_in_at <= timezone.now()


def test_qr_code_opens_the_checkin_page_with_the_code(rally, settings):
    registration, token = registered_with_token(rally)
    page = manage_page(token).content.decode()
    code = CODE.search(page).group(1)
    drawn = re.search(r'd="([^"]+)"', page[page.index('class="qr-code"') :]).group(1)
    url = f"{settings.SITE_URL}/dashboard/events/{rally.pk}/checkin/?code={code}"
    expected = re.search(r'd="([^"]+)"', str(qr_svg(url))).group(1)
    assert drawn == expected
