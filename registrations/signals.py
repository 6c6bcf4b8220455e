"""Signals other apps listen to, so that registrations never imports them."""

from django.dispatch import Signal

# Sent after commit whenever a registration's status is set: registered
# (confirmed or waitlisted), promoted from the waiting line, cancelled.
# Arguments: registration_id, status, email_given (whether the registration
# holds an email). The Zoom sync listens.
registration_changed = Signal()
