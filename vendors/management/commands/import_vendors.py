"""Import a vendor workbook from the shell, with the same checks and report as the page.

python manage.py import_vendors FILE [--shortlist SESSION_ID] [--dry-run] [--user NAME]
                                    [--ignore-extra-columns]
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.spreadsheets import ImportResult
from meetings.models import Session
from vendors.imports import VendorImport

ACTIONS = ("create", "update", "unchanged", "delete")
ACTION_LABELS = {
    "en": {"create": "new", "update": "updated", "unchanged": "unchanged", "delete": "removed"},
    "th": {"create": "ใหม่", "update": "แก้ไข", "unchanged": "ไม่เปลี่ยน", "delete": "นำออก"},
}


class Command(BaseCommand):
    help = "Import Bangkok Brand vendors and products (or a session shortlist) from an .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--shortlist",
            type=int,
            metavar="SESSION_ID",
            help="make the vendors in the file this session's shortlist",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the plan; write nothing",
        )
        parser.add_argument(
            "--ignore-extra-columns",
            action="store_true",
            help="import the file without the columns that are not in the template "
            "(by default such a column stops the import)",
        )
        parser.add_argument("--user", help="username recorded as the author of the changes")
        parser.add_argument("--language", default="en", choices=["en", "th"])

    def handle(
        self, *args, file, shortlist, dry_run, user, language, ignore_extra_columns, **options
    ):
        session = None
        if shortlist is not None:
            session = Session.objects.select_related("year").filter(pk=shortlist).first()
            if session is None:
                raise CommandError(f"No session has the id {shortlist}.")
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user is called {user!r}.")
        importer = VendorImport(session=session)
        with translation.override(language):
            try:
                with open(file, "rb") as stream:
                    if dry_run:
                        result = importer.validate(
                            stream, ignore_extra_columns=ignore_extra_columns
                        )
                    else:
                        result = importer.commit(
                            stream,
                            acting_user=acting_user,
                            ignore_extra_columns=ignore_extra_columns,
                        )
            except FileNotFoundError as exc:
                raise CommandError(f"{file}: no such file") from exc
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.report(result, language, dry_run)
        if not result.ok:
            raise CommandError(f"{result.issues.error_count} problem(s): nothing was imported.")

    def report(self, result: ImportResult, language: str, dry_run: bool) -> None:
        for issue in result.issues:
            style = self.style.ERROR if issue.is_error else self.style.WARNING
            self.stdout.write(style(issue.describe()))
        if result.issues.dropped:
            self.stdout.write(f"... and {result.issues.dropped} more not listed")
        if not result.ok or result.plan is None:  # a clean result has its plan
            return
        labels = ACTION_LABELS[language]
        for key, counts in result.plan.counts.items():
            th, en = result.plan.entities[key]
            parts = ", ".join(f"{counts[a]} {labels[a]}" for a in ACTIONS if counts[a])
            self.stdout.write(f"{th if language == 'th' else en}: {parts or '0'}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.row_count} rows."))
