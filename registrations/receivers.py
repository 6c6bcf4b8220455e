"""What registrations do when an event changes (connected in apps.py)."""

from registrations import services


def follow_event(sender, *, event, created, **kwargs):
    services.sync_capacity(event=event)


def check_capacity(sender, *, event, capacity, **kwargs):
    services.check_capacity(event=event, capacity=capacity)
