"""Registrations over time as an SVG bar chart, drawn on the server.

A pure function of the figures: no database, no script, nothing loaded from
elsewhere. For anonymous events a day with fewer than 5 registrations is
drawn as an empty bar labelled "<5", so a single person cannot be told apart.
"""

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from attendance.selectors import small

WIDTH, HEIGHT, MARGIN = 640, 200, 28
MAX_BARS = 60


def registrations_chart(by_day: list[tuple[dt.date, int]], *, anonymous: bool) -> SafeString:
    title = _("Registrations per day")
    if not by_day:
        return mark_safe("")  # noqa: S308 (nothing to draw)
    by_day = _fill_gaps(by_day)[-MAX_BARS:]
    top = max(1, *(count for _day, count in by_day))
    step = (WIDTH - 2 * MARGIN) / len(by_day)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" '
        f'y2="{HEIGHT - MARGIN}" stroke="#767676"/>',
        f'<text x="{MARGIN}" y="14" font-size="12">{top}</text>',
    ]
    for index, (day, count) in enumerate(by_day):
        parts.append(_bar(index, day, count, top, step, hidden=anonymous and small(count)))
    first, last = by_day[0][0], by_day[-1][0]
    parts.append(_label(MARGIN, first.isoformat(), "start"))
    parts.append(_label(WIDTH - MARGIN, last.isoformat(), "end"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (numbers and escaped text only)


def _fill_gaps(by_day):
    counts = dict(by_day)
    day, last = by_day[0][0], by_day[-1][0]
    filled = []
    while day <= last:
        filled.append((day, counts.get(day, 0)))
        day += dt.timedelta(days=1)
    return filled


def _bar(index, day, count, top, step, *, hidden: bool) -> str:
    x = MARGIN + index * step + step * 0.1
    width = max(step * 0.8, 1)
    shown = _("fewer than 5") if hidden else str(count)
    tip = f"<title>{escape(day.isoformat())}: {escape(shown)}</title>"
    if hidden:
        y = HEIGHT - MARGIN - 12
        return f'<text x="{x:.1f}" y="{y}" font-size="10">&lt;5{tip}</text>'
    height = (HEIGHT - 2 * MARGIN) * count / top
    y = HEIGHT - MARGIN - height
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="#0b5cad">{tip}</rect>'
    )


def _label(x, text, anchor) -> str:
    return (
        f'<text x="{x}" y="{HEIGHT - 8}" font-size="12" text-anchor="{anchor}">'
        f"{escape(text)}</text>"
    )
