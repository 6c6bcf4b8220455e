"""When a registrant may see the join link of an online event.

Inside the reveal window of the current or next occurrence (by default from
30 minutes before the start to the end) a confirmed registrant sees the link
and passcode; before it, the time the window opens.
"""

import datetime as dt
from dataclasses import dataclass

from events.models import OnlineMeeting
from registrations.models import Registration


@dataclass(frozen=True)
class JoinDetails:
    state: str  # "open", "later", "not_set", "over", "not_confirmed"
    join_url: str = ""
    passcode: str = ""
    opens_at: dt.datetime | None = None
    # Whole seconds from now until opens_at (what the countdown counts from).
    seconds_left: int = 0


def join_details(registration: Registration, now: dt.datetime) -> JoinDetails | None:
    """What the manage page shows about joining; None for in-person events."""
    event = registration.event
    if not event.is_online:
        return None
    if registration.status != Registration.Status.CONFIRMED:
        return JoinDetails(state="not_confirmed")
    occurrence = event.next_occurrence(now)
    if occurrence is None:
        return JoinDetails(state="over")
    meeting = OnlineMeeting.objects.filter(event=event).first()
    if meeting is None:
        meeting = OnlineMeeting(event=event)
    opens, closes = meeting.reveal_window(*occurrence)
    if now < opens:
        left = int((opens - now).total_seconds())
        return JoinDetails(state="later", opens_at=opens, seconds_left=left)
    if not meeting.join_url:
        return JoinDetails(state="not_set")
    return JoinDetails(state="open", join_url=meeting.join_url, passcode=meeting.passcode)
