"""What attendance does when other apps report something (connected in apps.py)."""

from attendance import services


def store_online_count(sender, *, event, now, peak, **kwargs):
    services.record_online_count(event=event, now=now, peak=peak)
