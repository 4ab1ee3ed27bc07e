from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from .audit_log import DayGroup, audit_entries_for, audit_keys, group_entries
from .models import WorkerPing


def worker_ping_latest() -> WorkerPing | None:
    return WorkerPing.objects.select_related("requested_by").first()


def worker_ping_last_answered() -> WorkerPing | None:
    return WorkerPing.objects.filter(answered_at__isnull=False).order_by("-answered_at").first()


@dataclass(frozen=True)
class AuditPage:
    page: Page
    days: list[DayGroup]


AUDIT_PAGE_SIZE = 50


def audit_trail_page(
    *, filters: dict, page_number: object, admin_links: bool, per_page: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """One page of the audit trail (newest first) grouped by day, then by record. A count
    and the page's keys, then per model on the page its rows and the versions before."""
    page = Paginator(audit_keys(**filters), per_page).get_page(page_number)
    entries = audit_entries_for(page.object_list, admin_links=admin_links)
    return AuditPage(page=page, days=group_entries(entries))
