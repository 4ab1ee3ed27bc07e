"""`manage.py render_report SESSION_ID [--lang th|en]`: a new version of a session report,
made here and now (no worker needed) and kept like one made from the web page."""

from __future__ import annotations

import shutil

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Session
from reports.models import ReportGeneration
from reports.services import report_generation_request, report_generation_run


class Command(BaseCommand):
    help = "Make a new version of a session report as PDF (Thai by default)."

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int)
        parser.add_argument("--lang", choices=["th", "en"], default="th")
        parser.add_argument("--thai-digits", action="store_true", help="Thai report only.")
        parser.add_argument("--output", help="Also copy the PDF to this path.")

    def handle(self, *args, session_id: int, lang: str, thai_digits: bool, output, **options):
        session = Session.objects.filter(pk=session_id).first()
        if session is None:
            raise CommandError(f"No session with id {session_id}.")
        try:
            generation, _dispatch = report_generation_request(
                kind=ReportGeneration.Kind.SESSION,
                session=session,
                language=lang,
                thai_digits=thai_digits,
                acting_user=None,
                enqueue=False,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        ran = report_generation_run(generation_id=generation.pk)
        if ran is None:  # deleted meanwhile
            raise CommandError(f"Version {generation.version} is gone.")
        generation = ran
        if generation.status != ReportGeneration.Status.DONE:
            raise CommandError(f"Version {generation.version} failed: {generation.error}")
        if output:
            with generation.file.open("rb") as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        self.stdout.write(
            f"Version {generation.version} ({generation.language}): {generation.file.path}\n"
            f"{generation.page_count} pages, {generation.size_bytes} bytes, "
            f"{generation.render_seconds:.2f} s, SHA-256 {generation.sha256}"
        )
        for warning in generation.warnings:
            self.stderr.write(f"warning: {warning}")
