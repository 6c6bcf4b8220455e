"""Refresh the translation catalogs after strings changed in code or templates."""

from django.core.management.base import BaseCommand

from config import catalogs


class Command(BaseCommand):
    help = (
        "Find every translatable string, merge it into locale/<language>/LC_MESSAGES/django.po, "
        "compile the catalogs and list what still needs a translator."
    )

    def handle(self, *args, **options):
        todo = catalogs.update_catalogs()
        catalogs.compile_catalogs()
        for language, count in todo.items():
            self.stdout.write(f"{language}: {count} entries to translate or check")
        for problem in catalogs.check_catalogs():
            self.stdout.write(f"  {problem}")
