from django.core.management.base import BaseCommand

from events.demo import load_demo
from interpretation.demo import load_interpretation_demo


class Command(BaseCommand):
    help = "Create or refresh the demo events (safe to run again)."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(
            "Demo loaded: {organizations} organizations, {venues} venues, {events} events.".format(
                **counts
            )
        )
        self.stdout.write(load_interpretation_demo())
