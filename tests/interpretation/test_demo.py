"""The issue's "done when", on the demo data, through the pages."""

import io
import re

import icalendar
import pytest
from django.core.management import call_command

from events.models import Event, Organization, Role
from interpretation.models import Assignment, Interpreter
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^  (?P<name>[^:]+): https?://[^/]+(?P<path>/interpreters/[^/]+/)$", re.M)


def load() -> dict[str, str]:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return {match["name"]: match["path"] for match in LINK.finditer(out.getvalue())}


def test_coordinator_covers_spanish_and_punjabi_on_the_demo_assembly(client):
    factories.ensure_languages()
    pages = load()
    organization = Organization.objects.get(slug="migrant-rights-toronto")
    coordinator = factories.make_user(
        organization=organization, role=Role.INTERPRETATION_COORDINATOR
    )
    client.force_login(coordinator)
    assembly = Event.objects.get(slug="open-assembly-undocumented")
    url = f"/dashboard/interpretation/events/{assembly.pk}/"

    before = client.get(url).content.decode()
    assert "Spanish (Español)</td>" in before
    assert 'Punjabi (ਪੰਜਾਬੀ) <span class="flag">asked for, not offered</span>' in before
    assert "fewer than 5" in before  # an anonymous assembly: no exact small counts
    assert before.count('class="state state-uncovered"') == 2

    for code in ("es", "pa"):
        ranked = re.findall(
            r'name="interpreter" value="(\d+)">\s*<input type="hidden" name="target" value="'
            + code,
            client.get(url + f"?language={code}").content.decode(),
        )
        assert len(ranked) >= 2
        for interpreter_id, role in zip(ranked[:2], ("lead", "relief"), strict=True):
            response = client.post(
                url, {"interpreter": interpreter_id, "target": code, "role": role, "invite": "on"}
            )
            assert response.status_code == 302

    invited = Assignment.objects.filter(event=assembly).select_related("interpreter")
    assert sorted((a.target_id, a.role, a.status) for a in invited) == [
        ("es", "lead", "invited"),
        ("es", "relief", "invited"),
        ("pa", "lead", "invited"),
        ("pa", "relief", "invited"),
    ]
    client.logout()
    for assignment in invited:
        page = pages[assignment.interpreter.name]
        assert (
            client.post(page, {"assignment": assignment.pk, "action": "accept"}).status_code == 302
        )

    client.force_login(coordinator)
    after = client.get(url).content.decode()
    assert after.count('class="state state-covered"') == 2
    assert "state-uncovered" not in after
    for assignment in invited:
        calendar = icalendar.Calendar.from_ical(
            client.get(pages[assignment.interpreter.name] + "calendar.ics").content
        )
        [entry] = calendar.walk("VEVENT")
        assert str(entry["SUMMARY"]) == assembly.title
        assert str(entry["STATUS"]) == "CONFIRMED"
        assert str(entry["DESCRIPTION"]).startswith("Interpreting English → ")


def test_demo_roster_is_refreshed_not_duplicated():
    factories.ensure_languages()
    first = load()
    second = load()

    assert len(first) == len(second) == Interpreter.objects.count() == 10
    assert first != second  # each run gives new links
    assembly = Event.objects.get(slug="open-assembly-undocumented")
    assert assembly.registrations.filter(interpretation_language="pa").count() == 2
