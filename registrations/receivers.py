"""What registrations do when an event changes (connected in apps.py)."""

from registrations import services


def follow_event(sender, *, event, created, moved=False, **kwargs):
    services.sync_capacity(event=event)
    if moved:
        services.announce_change(event=event)


def check_capacity(sender, *, event, capacity, **kwargs):
    services.check_capacity(event=event, capacity=capacity)
