"""Reading the audit trail: every change django-simple-history kept of the programme's
records (cities, vendors, products, sessions, submissions, evaluations, reports), with
who, when and what changed, across all of them at once."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

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
    "caption",
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


def audited_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label in PROGRAMME_APPS and hasattr(model, "history"):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def _object_id(model: type[models.Model], record) -> object:
    # A history record's own pk is history_id; the tracked object's id is a field.
    return getattr(record, model._meta.pk.attname)


def _label(model: type[models.Model], record) -> str:
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{_object_id(model, record)}"


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def _shown(value: object) -> str:
    if value is None or value == "":
        return "–"
    return str(value)


def _diff(fields: list[models.Field], old, new) -> tuple[FieldChange, ...]:
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
    streams = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        history = model.history.model
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

    newest = heapq.nlargest(
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


def _previous_records(newest) -> dict:
    """For each changed record, the record of the same object just before it."""
    wanted = defaultdict(set)
    for _when, _hid, model, record in newest:
        if record.history_type == "~":
            wanted[model].add(_object_id(model, record))
    previous = {}
    for model, object_ids in wanted.items():
        pk_name = model._meta.pk.attname
        by_object = defaultdict(list)
        for row in model.history.model.objects.filter(**{f"{pk_name}__in": object_ids}).order_by(
            pk_name, "history_date", "history_id"
        ):
            by_object[_object_id(model, row)].append(row)
        for rows in by_object.values():
            for older, newer in pairwise(rows):
                previous[(model, newer.history_id)] = older
    return previous


@dataclass(frozen=True)
class RecordChange:
    """One change of one record, for a record's own history on its page: field labels
    and values are rendered in the language active when it is built."""

    when: dt.datetime
    user: str
    action: str
    model_name: str
    object_label: str
    reason: str
    changes: tuple[FieldChange, ...]

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


def _readable(field: models.Field, value: object, names: dict) -> str:
    """A stored value as a reader reads it: a choice's label, a related record's name, a
    date with the BE year in Thai, yes or no."""
    from . import thai

    if value is None or value == "":
        return "–"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dt.date):
        return thai.short_date(value)
    return str(value)


def records_history(
    model: type[models.Model], *, limit: int = 100, **lookups: object
) -> list[RecordChange]:
    """Every kept change of the records of one model that `lookups` select in its
    history table (deleted records too), newest first: who, when (the template shows it
    in Bangkok time) and which fields went from what to what. One query for the history
    and one per model its changes name (a district, a category), however many changes."""
    pk_name = model._meta.pk.attname
    rows = list(
        model.history.model.objects.filter(**lookups)
        .select_related("history_user")
        .order_by(pk_name, "history_date", "history_id")
    )
    fields = _tracked_fields(model)
    pairs = []
    previous: dict[object, object] = {}
    for row in rows:
        object_id = _object_id(model, row)
        pairs.append((previous.get(object_id), row))
        previous[object_id] = row
    wanted = defaultdict(set)
    for before, row in pairs:
        for field in fields:
            if field.is_relation:
                for record in (before, row):
                    value = getattr(record, field.attname, None) if record else None
                    if value is not None:
                        wanted[field.related_model].add(value)
    names = {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }
    entries = []
    for before, row in pairs:
        changes = ()
        if before is not None and row.history_type == "~":
            changes = tuple(
                FieldChange(
                    str(field.verbose_name),
                    _readable(field, getattr(before, field.attname, None), names),
                    _readable(field, getattr(row, field.attname, None), names),
                )
                for field in fields
                if getattr(before, field.attname, None) != getattr(row, field.attname, None)
            )
        user = row.history_user
        entries.append(
            RecordChange(
                when=row.history_date,
                user=(user.get_full_name() or user.get_username()) if user else str(_("system")),
                action=row.history_type,
                model_name=str(model._meta.verbose_name),
                object_label=_label(model, row),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
