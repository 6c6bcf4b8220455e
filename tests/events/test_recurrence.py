import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from events import recurrence

TORONTO = ZoneInfo("America/Toronto")


def at(year, month, day, hour, minute=0, zone=TORONTO):
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def test_nightly_gathering_stays_at_seven_across_the_autumn_clock_change():
    found = recurrence.occurrences(
        start=at(2026, 10, 30, 19),
        end=at(2026, 10, 30, 20, 30),
        zone="America/Toronto",
        rule="FREQ=DAILY;COUNT=4",
        exceptions="",
    )
    assert [(start.isoformat(), end.isoformat()) for start, end in found] == [
        ("2026-10-30T19:00:00-04:00", "2026-10-30T20:30:00-04:00"),
        ("2026-10-31T19:00:00-04:00", "2026-10-31T20:30:00-04:00"),
        ("2026-11-01T19:00:00-05:00", "2026-11-01T20:30:00-05:00"),
        ("2026-11-02T19:00:00-05:00", "2026-11-02T20:30:00-05:00"),
    ]


def test_weekly_event_stays_at_noon_across_the_spring_clock_change():
    vancouver = ZoneInfo("America/Vancouver")
    found = recurrence.occurrences(
        start=at(2027, 3, 7, 12, zone=vancouver),
        end=at(2027, 3, 7, 13, zone=vancouver),
        zone="America/Vancouver",
        rule="FREQ=WEEKLY;COUNT=2",
        exceptions="",
    )
    assert [start.isoformat() for start, _ in found] == [
        "2027-03-07T12:00:00-08:00",
        "2027-03-14T12:00:00-07:00",
    ]


def test_skipped_dates_leave_out_that_night():
    found = recurrence.occurrences(
        start=at(2026, 12, 22, 19),
        end=at(2026, 12, 22, 21),
        zone="America/Toronto",
        rule="RRULE:FREQ=DAILY;COUNT=4",
        exceptions="2026-12-24, 2026-12-25",
    )
    assert [start.date().isoformat() for start, _ in found] == ["2026-12-22", "2026-12-23"]


def test_occurrences_after_a_moment_skip_those_already_over():
    found = recurrence.occurrences(
        start=at(2026, 12, 1, 19),
        end=at(2026, 12, 1, 21),
        zone="America/Toronto",
        rule="FREQ=DAILY;COUNT=18",
        exceptions="",
        after=at(2026, 12, 5, 20),
        limit=2,
    )
    assert [start.isoformat() for start, _ in found] == [
        "2026-12-05T19:00:00-05:00",
        "2026-12-06T19:00:00-05:00",
    ]


def test_until_in_utc_is_read_as_that_instant():
    # 23:59:59 UTC on December 3 is 6:59:59 pm in Toronto: the 7 pm gathering
    # of December 3 is after it, so the series ends on December 2.
    last = recurrence.last_occurrence(
        start=at(2026, 12, 1, 19),
        end=at(2026, 12, 1, 21),
        zone="America/Toronto",
        rule="FREQ=DAILY;UNTIL=20261203T235959Z",
        exceptions="",
    )
    assert last == (at(2026, 12, 2, 19), at(2026, 12, 2, 21))


def test_newfoundland_half_hour_zone():
    found = recurrence.occurrences(
        start=dt.datetime(2026, 12, 1, 18, tzinfo=ZoneInfo("America/St_Johns")),
        end=dt.datetime(2026, 12, 1, 19, tzinfo=ZoneInfo("America/St_Johns")),
        zone="America/St_Johns",
        rule="",
        exceptions="",
    )
    assert [start.isoformat() for start, _ in found] == ["2026-12-01T18:00:00-03:30"]


@pytest.mark.parametrize(
    "rule",
    ["FREQ=SOMETIMES", "FREQ=DAILY;COUNT=x", "DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "hello"],
)
def test_malformed_rules_are_refused_with_an_example(rule):
    with pytest.raises(recurrence.RecurrenceError) as caught:
        recurrence.build_rule(rule, dt.datetime(2026, 1, 1))
    assert "FREQ=DAILY;COUNT=18" in str(caught.value)


def test_malformed_skipped_date_is_named():
    with pytest.raises(recurrence.RecurrenceError) as caught:
        recurrence.parse_exceptions("2026-12-24, Christmas")
    assert str(caught.value) == (
        "“Christmas” is not a date: write skipped dates as YYYY-MM-DD, e.g. 2026-12-24."
    )


def test_endless_rule_is_bounded():
    found = recurrence.occurrences(
        start=at(2026, 1, 1, 9),
        end=at(2026, 1, 1, 10),
        zone="America/Toronto",
        rule="FREQ=HOURLY",
        exceptions="",
    )
    assert len(found) == recurrence.MAX_OCCURRENCES


def test_an_occurrence_spanning_the_clock_change_keeps_its_local_hours():
    found = recurrence.occurrences(
        start=at(2026, 10, 31, 22),
        end=at(2026, 11, 1, 2),
        zone="America/Toronto",
        rule="FREQ=DAILY;COUNT=2",
        exceptions="",
    )
    assert [(start.hour, end.hour) for start, end in found] == [(22, 2), (22, 2)]


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;BYWEEKNO=60;COUNT=2", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"]
)
def test_rules_that_never_give_a_date_are_refused_quickly(rule):
    with pytest.raises(recurrence.RecurrenceError) as caught:
        recurrence.check_rule_matches_start(rule, dt.datetime(2026, 12, 1, 19))
    assert "The start date must be one of the dates the rule gives" in str(caught.value)


def test_a_start_that_the_rule_would_not_give_is_refused():
    sunday = dt.datetime(2026, 11, 29, 19)
    with pytest.raises(recurrence.RecurrenceError):
        recurrence.check_rule_matches_start("FREQ=WEEKLY;BYDAY=MO;COUNT=3", sunday)
    recurrence.check_rule_matches_start("FREQ=WEEKLY;BYDAY=SU;COUNT=3", sunday)


def test_malformed_utc_until_is_refused():
    with pytest.raises(recurrence.RecurrenceError):
        recurrence.build_rule("FREQ=DAILY;UNTIL=20261340T000000Z", dt.datetime(2026, 1, 1))


def test_open_ended_rule_ends_at_the_horizon():
    last_start, _ = recurrence.last_occurrence(
        start=at(2026, 1, 5, 19),
        end=at(2026, 1, 5, 20),
        zone="America/Toronto",
        rule="FREQ=WEEKLY",
        exceptions="",
    )
    assert at(2026, 1, 5, 19) + recurrence.HORIZON - dt.timedelta(days=7) <= last_start
    assert last_start <= at(2026, 1, 5, 19) + recurrence.HORIZON


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=DAILY;COUNT=18", "FREQ=DAILY;COUNT=18"),
        ("FREQ=DAILY;UNTIL=20261203T190000", "FREQ=DAILY;UNTIL=20261204T000000Z"),
        ("FREQ=DAILY;UNTIL=20261203", "FREQ=DAILY;UNTIL=20261204T045959Z"),
        ("FREQ=DAILY;UNTIL=20261204T000000Z", "FREQ=DAILY;UNTIL=20261204T000000Z"),
        (
            "rrule:freq=weekly;until=20261203T190000;byday=mo",
            "FREQ=WEEKLY;UNTIL=20261204T000000Z;BYDAY=MO",
        ),
    ],
)
def test_rule_for_calendars_gives_until_in_utc(rule, expected):
    assert recurrence.rule_for_calendar(rule, "America/Toronto") == expected
