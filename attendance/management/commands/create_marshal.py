import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from attendance import services
from events.models import Event


class Command(BaseCommand):
    help = (
        "Create (or reset) a marshal login, assign it to an event and print its password. "
        "The marshal sees only that event's counter and check-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="marshal-north")
        parser.add_argument("--event", default="status-for-all-toronto-rally")
        parser.add_argument(
            "--gate", default=None, help="Where they count; kept as it is when not given."
        )

    def handle(self, *args, username, event, gate, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event {event!r}. Run 'manage.py load_demo' first.")
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        if gate is None:  # a reset keeps the gate the marshal already has
            current = found.marshal_assignments.filter(user=user).first()
            gate = current.gate if current else ""
        services.assign_marshal(event=found, username=username, gate=gate)
        self.stdout.write(
            f"Marshal login for {found.title}: username {username!r}, password {password!r}. "
            "Log in at /dashboard/login/"
        )
