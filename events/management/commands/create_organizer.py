import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from events.models import Membership, Organization, Role


class Command(BaseCommand):
    help = (
        "Create (or reset) an organizer login for an organization and print its password. "
        "For development and first set-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="organizer")
        parser.add_argument("--organization", default="migrant-rights-toronto")
        parser.add_argument(
            "--role",
            default=Role.ORGANIZER,
            choices=Role.values,
            help="The role in the organization.",
        )

    def handle(self, *args, username, organization, role=Role.ORGANIZER, **options):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(
                f"No organization {organization!r}. Run 'manage.py load_demo' first, "
                "or create the organization in the admin."
            )
        user, _ = get_user_model().objects.get_or_create(username=username)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.save()
        Membership.objects.get_or_create(organization=org, user=user, role=role)
        label = Role(role).label
        self.stdout.write(
            f"{label} login for {org.name}: username {username!r}, password {password!r}"
        )
