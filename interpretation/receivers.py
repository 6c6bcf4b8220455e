"""What interpretation does when an event changes (connected in apps.py)."""

from interpretation import services


def follow_event(sender, *, event, created, moved=False, **kwargs):
    if not created:
        services.follow_event(event=event, moved=moved)
