from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from core.retention import source_files_purge


class Command(BaseCommand):
    help = "Delete uploaded workbooks older than UPLOAD_RETENTION_DAYS (the rows stay)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = source_files_purge()
        self.stdout.write(
            f"{count} uploaded source files older than {settings.UPLOAD_RETENTION_DAYS} days "
            "deleted."
        )
