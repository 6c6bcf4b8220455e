"""Signals other apps listen to, so that events never imports them."""

from django.dispatch import Signal

# Sent by services.save_event inside its transaction, after the event row is
# stored. Receivers may raise ValidationError to refuse the change (the
# transaction is rolled back). Arguments: event, created, and moved (its
# time, place or status changed, so its sequence went up).
event_saved = Signal()

# Sent by Event.clean() when an existing event's capacity is set, so a form
# can show "already N confirmed" before saving. Arguments: event, capacity.
capacity_requested = Signal()

# Sent by the interpretation app (after commit) whenever the accepted
# interpreters of an event change, with the whole current list. Arguments:
# event, interpreters: a list of (email, source language code, target language
# code) tuples, e.g. [("ana@example.org", "es", "en"), ("li@example.org", "en",
# "es")]; for sign language the sign language code ("ase", "fcs") is the target.
# The Zoom sync listens to keep the meeting's interpretation channels in step.
interpreters_changed = Signal()

# Sent by the Zoom sync (after commit) when the number of people in an online
# event's meeting changes. Arguments: event, now (participants in the meeting
# now), peak (the most at once so far). Headcount dashboards listen.
online_count_changed = Signal()

# Sent by registrations.retention inside its transaction when the personal
# data of an event's registrations is being deleted (after the event, or when
# an organizer asks). Argument: event. Each app deletes what it keeps about
# those people for that event (Zoom registrants, check-ins, ...); only counts
# may remain.
personal_data_expired = Signal()
