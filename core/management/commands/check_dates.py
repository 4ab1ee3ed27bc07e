"""List stored dates outside a plausible range, so that FAO can correct them.

    manage.py check_dates [--earliest 2000] [--latest 2200]

Most are BE years stored as CE (before the admin read BE years): each line gives the
record, the field, the stored date, the CE date it probably meant and the admin page
where it is corrected. Nothing is changed.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from core.date_check import EARLIEST_YEAR, LATEST_YEAR, implausible_dates_report


class Command(BaseCommand):
    help = "List stored dates outside a plausible range of years (nothing is changed)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--earliest", type=int, default=EARLIEST_YEAR, help="first CE year")
        parser.add_argument("--latest", type=int, default=LATEST_YEAR, help="last CE year")

    def handle(self, *args: Any, earliest: int, latest: int, **options: Any) -> None:
        found, lines = implausible_dates_report(apps.get_models(), earliest=earliest, latest=latest)
        for line in lines[:-1]:
            self.stdout.write(line)
        self.stdout.write(self.style.WARNING(lines[-1]) if found else lines[-1])
