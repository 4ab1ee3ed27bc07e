"""Personal data under Thailand's PDPA: find one person, export all the portal holds on
them, and erase it on request.

A person is a vendor's owner and contact (the Vendor row) or a sister city's contact (a
CityContact). Their data also sits in rows that copy it (city participants, outcome
contacts that name them, e-mails sent to them) and in django-simple-history's tables,
which keep every old value: an erasure that left those alone would not be one.

Erasure overwrites values and never deletes a row or a foreign key, so every count, KPI
and statistic reads the same afterwards; the vendor as a business stays.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import save_audited
from core.fiscal import BANGKOK
from core.models import PersonalDataErasure
from core.retention import source_files_erase
from meetings.models import ParticipantNotice
from notifications.models import LineLink, OutboxMessage
from outcomes.models import VendorLink

from .selectors import (
    BLANK,
    MARK,
    MIN_NEEDLE,
    UNIQUE_EMAIL,
    Holding,
    Subject,
    pdpa_search,
    subject_kind,
    subject_label,
)
from .selectors import holdings_of as _holdings

# Messages still to go must not go to an address that is no longer there.
OUTBOX_NOT_DONE = (
    OutboxMessage.Status.PENDING,
    OutboxMessage.Status.SENDING,
    OutboxMessage.Status.FAILED,
    OutboxMessage.Status.UNCERTAIN,
)

__all__ = [
    "ErasureReport",
    "erasure_marker",
    "erasures_recent",
    "pdpa_search",
    "person_data_erase",
    "person_data_export",
    "person_data_export_sheets",
    "person_data_summary",
    "subject_label",
]


@dataclass
class ErasureReport:
    erasure: PersonalDataErasure
    marker: str
    rows_touched: dict[str, dict[str, int]] = field(default_factory=dict)


# --- export --------------------------------------------------------------------------------


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, BANGKOK).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _exported_fields(model: type[models.Model]) -> list[models.Field]:
    # Staff who touched a row are not the data subject: their ids stay out of the export.
    user_model = get_user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.is_relation and f.related_model is user_model)
    ]


def _row_dict(model: type[models.Model], row: models.Model, only: tuple[str, ...] = ()) -> dict:
    return {
        f.attname: _jsonable(getattr(row, f.attname))
        for f in _exported_fields(model)
        if not only or f.attname in only
    }


# A history row's class is made by simple_history at runtime: it has no static type.
def _history_dict(model: type[models.Model], row: Any, only: tuple[str, ...]) -> dict:
    data = _row_dict(model, row, only)
    data.update(
        history_id=row.history_id,
        history_date=_jsonable(row.history_date),
        history_type=row.history_type,
        history_change_reason=row.history_change_reason or "",
    )
    return data


def person_data_export(*, subject: Subject, acting_user: User) -> dict:
    """Everything held on the person, live and in history, as plain JSON-ready data."""
    holdings, _needles = _holdings(subject)
    records = []
    for holding in holdings:
        history_rows = []
        if holding.history_model is not None and holding.history_ids:
            history_rows = [
                _history_dict(holding.model, row, holding.export_only)
                for row in cast(Any, holding.history_model)
                .objects.filter(history_id__in=holding.history_ids)
                .order_by("history_date", "history_id")
            ]
        if not holding.live and not history_rows:
            continue
        records.append(
            {
                "model": holding.label,
                "name": str(holding.model._meta.verbose_name_plural),
                "personal_fields": sorted(holding.fields),
                "live": [
                    _row_dict(holding.model, row, holding.export_only) for row in holding.live
                ],
                "history": history_rows,
            }
        )
    return {
        "subject": {
            "kind": str(subject_kind(subject)),
            "id": subject.pk,
            "label": subject_label(subject),
        },
        "generated_at": _jsonable(timezone.now()),
        "generated_by": acting_user.get_username(),
        "records": records,
    }


def person_data_export_sheets(data: dict):
    """The export as workbook sheets: one per kind of row, live and history apart."""
    from core.spreadsheets.xlsx import ExportSheet

    sheets = [
        ExportSheet(
            title=str(_("Person")),
            # Lazy texts, written out in the reader's language.
            headers=[cast(str, _("Field")), cast(str, _("Value"))],
            rows=[
                (_("Kind of person"), data["subject"]["kind"]),
                (_("Record id"), data["subject"]["id"]),
                (_("Record"), data["subject"]["label"]),
                (_("Exported at"), data["generated_at"]),
                (_("Exported by"), data["generated_by"]),
            ],
            widths=(24, 60),
        )
    ]
    for record in data["records"]:
        for part, rows in (("live", record["live"]), ("history", record["history"])):
            if not rows:
                continue
            headers = list(rows[0])
            suffix = _("history") if part == "history" else _("current")
            sheets.append(
                ExportSheet(
                    title=f"{record['model'].split('.')[1][:20]} {suffix}"[:31],
                    headers=headers,
                    rows=[[row.get(h) for h in headers] for row in rows],
                    widths=[22] * len(headers),
                )
            )
    return sheets


# --- erasure -------------------------------------------------------------------------------


def erasure_marker(day: dt.date | None = None) -> str:
    day = day or timezone.localdate(timezone.now(), BANGKOK)
    return f"[erased {day.isoformat()}]"


def _needle_pattern(needles: set[str]) -> str:
    """One case-insensitive pattern for all the person's values, longest first."""
    usable = sorted((n for n in needles if len(n) >= MIN_NEEDLE), key=len, reverse=True)
    return "|".join(re.escape(n) for n in usable)


def _scrub_text(text: str, needles: set[str], marker: str) -> str:
    pattern = _needle_pattern(needles)
    if not pattern or not text:
        return text
    return re.sub(pattern, lambda _m: marker, text, flags=re.IGNORECASE)


def _erased_value(rule: str, current: str, row_id: int, marker: str, needles: set[str]) -> str:
    if rule == MARK:
        return marker if current else current
    if rule == BLANK:
        return ""
    if rule == UNIQUE_EMAIL:
        return f"erased-{row_id}@erased.invalid"
    return _scrub_text(current, needles, marker)


def _erase_live(holding: Holding, marker: str, needles: set[str], acting_user, reason) -> None:
    tracked = holding.history_model is not None
    for row in holding.live:
        for name, rule in holding.fields.items():
            setattr(row, name, _erased_value(rule, getattr(row, name), row.pk, marker, needles))
        # Mail still waiting must not go to an address that is no longer there.
        if isinstance(row, ParticipantNotice) and row.status == ParticipantNotice.Status.PENDING:
            row.status = ParticipantNotice.Status.FAILED
            row.last_error = "Personal data erased (PDPA)."
        if isinstance(row, VendorLink) and row.email_status == VendorLink.EmailStatus.PENDING:
            row.email_status = VendorLink.EmailStatus.FAILED
            row.email_last_error = "Personal data erased (PDPA)."
        if isinstance(row, OutboxMessage) and row.status in OUTBOX_NOT_DONE:
            row.status = OutboxMessage.Status.CANCELLED
            row.last_error_code = "erased"
        if isinstance(row, LineLink):
            row.status = LineLink.Status.UNLINKED
        if tracked:
            save_audited(row, acting_user=acting_user, reason=reason)
        else:
            row.save()


def _erase_history(holding: Holding, marker: str, needles: set[str]) -> int:
    """The same rules on the history rows, in Python: one person has a few hundred rows at
    most, and a regular expression in SQL is not portable (SQLite has none)."""
    if holding.history_model is None or not holding.history_ids:
        return 0
    pk_name = holding.model._meta.pk.attname
    rows = list(
        cast(Any, holding.history_model)
        .objects.filter(history_id__in=holding.history_ids)
        .only("history_id", pk_name, *holding.fields)
    )
    for row in rows:
        for name, rule in holding.fields.items():
            current = getattr(row, name)
            setattr(row, name, _erased_value(rule, current, getattr(row, pk_name), marker, needles))
    cast(Any, holding.history_model).objects.bulk_update(rows, list(holding.fields), batch_size=500)
    return len(rows)


@transaction.atomic
def person_data_erase(*, subject: Subject, reason: str, acting_user: User) -> ErasureReport:
    """Overwrite the person's data in every live and history row that holds it, keep every
    row and key, and record the erasure (without the erased values)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("An erasure needs a reason.")
    model = type(subject)
    subject = model.objects.select_for_update().get(pk=subject.pk)
    marker = erasure_marker()
    holdings, needles = _holdings(subject)
    history_reason = "PDPA erasure"
    rows_touched: dict[str, dict[str, int]] = {}
    for holding in holdings:
        _erase_live(holding, marker, needles, acting_user, history_reason)
        # The history rows listed before the live saves, plus those the saves just wrote.
        if holding.history_model is not None and holding.live:
            pk_name = holding.model._meta.pk.attname
            holding.history_ids = list(
                cast(Any, holding.history_model)
                .objects.filter(
                    Q(history_id__in=holding.history_ids)
                    | Q(**{f"{pk_name}__in": [row.pk for row in holding.live]})
                )
                .values_list("history_id", flat=True)
            )
        history_count = _erase_history(holding, marker, needles)
        if holding.live or history_count:
            rows_touched[holding.label] = {"live": len(holding.live), "history": history_count}
    # The uploaded workbooks still kept, and the import reports made from them.
    rows_touched.update(
        source_files_erase(
            needles={n for n in needles if len(n) >= MIN_NEEDLE},
            scrub_text=lambda text: _scrub_text(text, needles, marker),
        )
    )
    erasure = PersonalDataErasure.objects.create(
        subject_kind=subject_kind(subject),
        subject_id=subject.pk,
        reason=reason,
        marker=marker,
        rows_touched=rows_touched,
        performed_by=acting_user,
    )
    return ErasureReport(erasure=erasure, marker=marker, rows_touched=rows_touched)


def person_data_summary(*, subject: Subject) -> list[tuple[str, int, int]]:
    """What an erasure would touch: per kind of row, how many current and history rows."""
    holdings, _needles = _holdings(subject)
    return [
        (str(h.model._meta.verbose_name_plural), len(h.live), len(h.history_ids))
        for h in holdings
        if h.live or h.history_ids
    ]


def erasures_recent(*, limit: int = 20) -> list[PersonalDataErasure]:
    return list(PersonalDataErasure.objects.select_related("performed_by")[:limit])
