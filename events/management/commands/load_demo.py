from django.core.management.base import BaseCommand

from attendance.demo import load_attendance_demo
from events.demo import load_demo
from interpretation.demo import load_interpretation_demo


class Command(BaseCommand):
    help = "Create or refresh the demo events (safe to run again)."

    def handle(self, *args, **options):
        counts = load_demo()
        load_attendance_demo()  # demo marshals and registrations for the day of action
        self.stdout.write(
            "Demo loaded: {organizations} organizations, {venues} venues, {events} events.".format(
                **counts
            )
        )
        self.stdout.write(load_interpretation_demo())
