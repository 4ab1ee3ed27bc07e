"""Files the worker writes for readers of the statistics (core.export_jobs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ExportJob


def lines_export_path(instance: LinesExport, filename: str) -> str:
    # A random name: the file is reached only through the permission-checked download.
    import uuid

    return f"exports/outcome-lines/{uuid.uuid4().hex}.xlsx"


class LinesExport(ExportJob):
    """Every contact and order line of one fiscal year (`filters["year"]`, BE), written by
    the worker (issue #19): at 8,000 lines it took 6.5 s inside the request. The lines
    name vendors, their counterparts and the vendors' notes, so retention deletes the file
    after UPLOAD_RETENTION_DAYS; any reader of the statistics may download it."""

    file = models.FileField(_("file"), upload_to=lines_export_path, blank=True, max_length=300)

    class Meta(ExportJob.Meta):
        verbose_name = _("outcome lines export")
        verbose_name_plural = _("outcome lines exports")

    def __str__(self) -> str:
        return f"outcome lines export {self.pk}"

    @property
    def fiscal_year(self) -> int | None:
        year = self.filters.get("year")
        return year if isinstance(year, int) else None
