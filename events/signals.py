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
