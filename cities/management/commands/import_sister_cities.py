"""Load a public list of Bangkok's sister cities, such as shared/data/sister_cities_partial.csv.

    python manage.py import_sister_cities FILE [--user NAME]

The list is partial and may be dated: it only adds what is missing, never overwrites.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cities.services import read_csv, sister_cities_import_csv


class Command(BaseCommand):
    help = "Add sister cities and their ties from a CSV; existing records are kept as they are."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", help="username recorded as the author")

    def handle(self, *args, file, user, **options):
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user is called {user!r}.")
        try:
            report = sister_cities_import_csv(rows=read_csv(file), acting_user=acting_user)
        except FileNotFoundError as exc:
            raise CommandError(f"{file}: no such file") from exc
        except (KeyError, ValueError, ValidationError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(
            f"{report.cities_created} cities and {report.agreements_created} ties added, "
            f"{report.unchanged} already known."
        )
