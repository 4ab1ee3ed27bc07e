"""Reading the audit trail: every change django-simple-history kept of the programme's
records (cities, vendors, products, sessions, submissions, evaluations, reports), with
who, when and what changed, across all of them at once."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

PROGRAMME_APPS = ("cities", "vendors", "meetings", "outcomes", "reports")
LABEL_FIELDS = (
    "business_name_en",
    "business_name_th",
    "name_en",
    "name_th",
    "name",
    "title",
    "subject",
    "certificate_number",
)
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
SKIPPED_FIELDS = {"updated_at", "created_at"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    when: dt.datetime
    user: str
    action: str  # "+", "~", "-"
    model_label: str  # app_label.model_name
    model_name: str  # verbose name
    object_id: object
    object_label: str
    reason: str
    changes: tuple[FieldChange, ...]

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


# A history record (simple_history's generated model, untyped): Any.
_Record = Any
_Newest = list[tuple[dt.datetime, int, type[models.Model], _Record]]


def _history_model(model: type[models.Model]) -> type[Any]:
    history: type[Any] = getattr(model, "history").model  # noqa: B009  # added at runtime
    return history


def audited_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in PROGRAMME_APPS and hasattr(model, "history"):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def _object_id(model: type[models.Model], record: _Record) -> object:
    # A history record's own pk is history_id; the tracked object's id is a field.
    return getattr(record, model._meta.pk.attname)


def _label(model: type[models.Model], record: _Record) -> str:
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{_object_id(model, record)}"


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def _shown(value: object) -> str:
    if value is None or value == "":
        return "–"
    return str(value)


def _diff(
    fields: list[models.Field[Any, Any]], old: _Record, new: _Record
) -> tuple[FieldChange, ...]:
    changes = []
    for field in fields:
        before, after = getattr(old, field.attname, None), getattr(new, field.attname, None)
        if before != after:
            changes.append(FieldChange(str(field.verbose_name), _shown(before), _shown(after)))
    return tuple(changes)


def audit_entries(
    *,
    model_label: str = "",
    user_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
    limit: int = 100,
) -> list[AuditEntry]:
    """The latest `limit` changes matching the filters, newest first. Two queries per
    audited model, whatever the number of rows."""
    streams: list[tuple[type[models.Model], list[_Record]]] = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        history = _history_model(model)
        rows = history.objects.select_related("history_user").order_by("-history_date")
        if user_id:
            rows = rows.filter(history_user_id=user_id)
        if since:
            rows = rows.filter(history_date__date__gte=since)
        if until:
            rows = rows.filter(history_date__date__lte=until)
        if action:
            rows = rows.filter(history_type=action)
        streams.append((model, list(rows[:limit])))

    newest: _Newest = heapq.nlargest(
        limit,
        (
            (record.history_date, record.history_id, model, record)
            for model, records in streams
            for record in records
        ),
        key=lambda item: (item[0], item[1]),
    )
    previous = _previous_records(newest)
    entries = []
    for _when, history_id, model, record in newest:
        before = previous.get((model, history_id))
        changes = (
            _diff(_tracked_fields(model), before, record)
            if before and record.history_type == "~"
            else ()
        )
        user = record.history_user
        entries.append(
            AuditEntry(
                when=record.history_date,
                user=(user.get_full_name() or user.get_username()) if user else str(_("system")),
                action=record.history_type,
                model_label=model._meta.label_lower,
                model_name=str(model._meta.verbose_name),
                object_id=_object_id(model, record),
                object_label=_label(model, record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _previous_records(newest: _Newest) -> dict[tuple[type[models.Model], int], _Record]:
    """For each changed record, the record of the same object just before it."""
    wanted: defaultdict[type[models.Model], set[object]] = defaultdict(set)
    for _when, _hid, model, record in newest:
        if record.history_type == "~":
            wanted[model].add(_object_id(model, record))
    previous: dict[tuple[type[models.Model], int], _Record] = {}
    for model, object_ids in wanted.items():
        pk_name = model._meta.pk.attname
        by_object: defaultdict[object, list[_Record]] = defaultdict(list)
        for row in (
            _history_model(model)
            .objects.filter(**{f"{pk_name}__in": object_ids})
            .order_by(pk_name, "history_date", "history_id")
        ):
            by_object[_object_id(model, row)].append(row)
        for rows in by_object.values():
            for older, newer in pairwise(rows):
                previous[(model, newer.history_id)] = older
    return previous
