"""CSV exports: rows for standard events, safe cells; counts only for anonymous events."""

import csv
import io

from attendance.exports import safe_cell
from events.models import Language
from tests import factories
from tests.attendance.conftest import client_for, register


def rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    # A byte-order mark first, so spreadsheet apps read UTF-8.
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_formula_cells_are_made_text():
    assert [safe_cell(v) for v in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "ok", 3, None]] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "3",
        "",
    ]


def test_standard_event_export_lists_rows_safely(organizer, organization, venue):
    event = factories.make_event(organization, venue=venue, require_name=True)
    register(
        event,
        name='=HYPERLINK("http://evil.example","x")',
        email="ana@example.org",
        accessibility_needs="@wheelchair",
    )
    response = client_for(organizer).get(f"/dashboard/events/{event.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, row = rows(response)
    assert header[3:5] == ["name", "email"]
    assert (header[0], header[-1]) == ("registered (Toronto time)", "checked in (Toronto time)")
    assert row[3] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[4] == "ana@example.org"
    assert row[7] == "'@wheelchair"


def test_anonymous_event_export_has_counts_only(organizer, organization):
    assembly = factories.make_assembly(organization, interpretation=("es",))
    spanish = Language.objects.get(code="es")
    for _ in range(3):
        register(assembly, interpretation_language=spanish, email="")
    for _ in range(5):
        register(assembly)
    response = client_for(organizer).get(f"/dashboard/events/{assembly.pk}/export.csv")
    table = rows(response)
    assert table[0] == ["figure", "value"]
    assert ["confirmed people", "8"] in table
    assert ["interpretation into Spanish", "fewer than 5"] in table
    assert ["interpretation into none", "5"] in table
    assert all(len(row) == 2 for row in table)


def test_campaign_export_has_a_row_per_event_and_totals(organizer, organization):
    campaign = factories.make_campaign(organization)
    for city, zone in [("Toronto", "America/Toronto"), ("Vancouver", "America/Vancouver")]:
        venue = factories.make_venue(organization, city=city, name=f"Park in {city}")
        event = factories.make_event(
            organization, venue=venue, campaign=campaign, timezone=zone, title=f"Rally {city}"
        )
        register(event, party_size=2)
    table = rows(client_for(organizer).get(f"/dashboard/campaigns/{campaign.slug}/export.csv"))
    assert [row[0] for row in table] == ["city", "Toronto", "Vancouver", "total"]
    assert [row[2] for row in table[1:3]] == ["America/Toronto", "America/Vancouver"]
    assert table[-1][4] == "4"
