"""Reading the audit trail: every change django-simple-history kept of the programme's
records (cities, vendors, products, sessions, submissions, evaluations, reports), with
who, when and what changed, across all of them at once.

Officers read it (issue #16, item 4), so it speaks their language: field names are the
models' verbose names, stored codes are shown by their choices' labels (as
`get_FOO_display` would), dates and times are Bangkok's with the BE year in Thai, and
checksums are shortened. core imports no app: an app tells it where an object's page is
with `register_object_page` in its `AppConfig.ready()`; FAO may otherwise follow the
admin's change page.

The history tables of every audited model are read as one ordered UNION ALL of their
(date, id, model) keys, so a page costs a count, the page's keys, and then one query per
model present on it (the rows, and the versions before the changes), whatever the page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.db.models import CharField, Value
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from .thai import format_date

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
PROGRAMME_APPS = ("cities", "vendors", "meetings", "outcomes", "reports")
# The fields naming a record, the reader's language first (see _label_fields).
LABEL_FIELDS = (
    "business_name_{lang}",
    "name_{lang}",
    "title_{lang}",
    "business_name_{other}",
    "name_{other}",
    "title_{other}",
    "name",
    "title",
    "subject",
    "certificate_number",
    "caption",
    "original_name",
)
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
SKIPPED_FIELDS = {"updated_at", "created_at", "heartbeat_at"}
# Checksums and fingerprints mean nothing to an officer: shown shortened, whole on demand.
HASH_NAMES = ("sha256", "checksum", "fingerprint", "hash")
HASH_SHOWN = 8
LONG_TEXT = 160


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    # The whole values when the shown ones are shortened (a checksum, a long text).
    old_full: str = ""
    new_full: str = ""

    @property
    def shortened(self) -> bool:
        return bool(self.old_full or self.new_full)


@dataclass(frozen=True)
class AuditEntry:
    when: dt.datetime  # in Bangkok time
    user: str
    action: str  # "+", "~", "-"
    model_label: str  # app_label.model_name
    model_name: str  # verbose name, in the reader's language
    object_id: object
    object_label: str
    reason: str
    changes: tuple[FieldChange, ...]
    link: str = ""

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])

    @property
    def day(self) -> dt.date:
        return self.when.date()

    @property
    def clock(self) -> str:
        """The time of day in Bangkok, whatever time zone the request has active."""
        return self.when.strftime("%H:%M")


@dataclass
class ObjectGroup:
    """The changes of one record on one day, newest first."""

    model_name: str
    object_label: str
    link: str
    entries: list[AuditEntry] = field(default_factory=list)


@dataclass
class DayGroup:
    day: dt.date
    objects: list[ObjectGroup] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return sum(len(g.entries) for g in self.objects)


# --- where an object's page is ----------------------------------------------------------

# model label -> function of a history record (its fields, no query) -> the page's URL.
_OBJECT_PAGES: dict[str, Callable[[_Record], str | None]] = {}
# model label -> function of a history record -> its name, for records without a name field.
_OBJECT_NAMES: dict[str, Callable[[_Record], str]] = {}


def register_object_page(
    model_label: str,
    page: Callable[[_Record], str | None],
    *,
    name: Callable[[_Record], str] | None = None,
) -> None:
    """`page(record)` gives the URL of the object's page from its history record, and
    `name(record)`, if given, the record's name (read only the record's own columns: a
    page of the trail must not query per row)."""
    _OBJECT_PAGES[model_label.lower()] = page
    if name is not None:
        _OBJECT_NAMES[model_label.lower()] = name


def page_by(url_name: str, kwarg: str, column: str) -> Callable[[_Record], str | None]:
    """A page reached by one of the record's own columns: `page_by("vendors:detail", "pk",
    "vendor_id")` for a product, shown on its vendor's page."""

    def page(record: _Record) -> str | None:
        value = getattr(record, column, None)
        return reverse(url_name, kwargs={kwarg: value}) if value is not None else None

    return page


def _link(model: type[models.Model], record: _Record, *, admin_links: bool) -> str:
    if record.history_type == "-":
        return ""  # the object is gone
    page = _OBJECT_PAGES.get(model._meta.label_lower)
    try:
        if page is not None:
            url = page(record)
            if url:
                return url
        if admin_links and admin.site.is_registered(model):
            opts = model._meta
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[_object_id(model, record)],
            )
    except NoReverseMatch:
        pass
    return ""


# --- reading --------------------------------------------------------------------------


# A history record (simple_history's generated model, untyped): Any.
_Record = Any
_Newest = list[tuple[dt.datetime, int, type[models.Model], _Record]]


# Reading `model.history` builds a new manager class each time (simple_history's
# descriptor calls from_queryset), a third of a millisecond; a page of the trail read it
# some 70 times (#19). The historical model of a class never changes: kept once.
_HISTORY_MODELS: dict[type[models.Model], type[Any]] = {}
# The audited models, with the list of models they were picked from: Django keeps that
# list until the app registry changes, so a new list means picking again.
_AUDITED: tuple[object, list[type[models.Model]]] | None = None


def _history_model(model: type[models.Model]) -> type[Any]:
    history = _HISTORY_MODELS.get(model)
    if history is None:
        history = _HISTORY_MODELS[model] = getattr(model, "history").model  # noqa: B009
    return history


def audited_models() -> list[type[models.Model]]:
    global _AUDITED
    every_model = apps.get_models()
    if _AUDITED is None or _AUDITED[0] is not every_model:
        found = [
            model
            for model in every_model
            if model._meta.app_label in PROGRAMME_APPS and hasattr(model, "history")
        ]
        _AUDITED = (every_model, sorted(found, key=lambda m: m._meta.label_lower))
    return list(_AUDITED[1])


def _object_id(model: type[models.Model], record: _Record) -> object:
    # A history record's own pk is history_id; the tracked object's id is a field.
    return getattr(record, model._meta.pk.attname)


def _related_model(model_field: models.Field[Any, Any]) -> type[models.Model]:
    """The model a relation points to: Django resolves "self" and lazy names to the
    class once the apps are loaded, which they are when a history is read."""
    return _related_model_class(model_field.related_model)


def _related_model_class(related: object) -> type[models.Model]:
    if not (isinstance(related, type) and issubclass(related, models.Model)):
        raise TypeError(f"unresolved related model {related!r}")
    return related


def _label_fields() -> list[str]:
    lang = "th" if (translation.get_language() or "th").startswith("th") else "en"
    other = "en" if lang == "th" else "th"
    return [name.format(lang=lang, other=other) for name in LABEL_FIELDS]


def _label(model: type[models.Model], record: _Record, names: list[str]) -> str:
    named = _OBJECT_NAMES.get(model._meta.label_lower)
    if named is not None:
        return str(named(record))
    for name in names:
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{_object_id(model, record)}"


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def _is_hash(model_field: models.Field[Any, Any]) -> bool:
    return isinstance(model_field, models.CharField) and any(
        model_field.name.endswith(n) for n in HASH_NAMES
    )


def display_value(model_field: models.Field[Any, Any], value: object) -> tuple[str, str]:
    """A stored value as the reader reads it, and the whole of it when it is shortened."""
    if value is None or value == "":
        return "–", ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value)), ""
    if isinstance(model_field, models.BooleanField):
        return (_g("Yes") if value else _g("No")), ""
    if model_field.is_relation:
        return f"{_related_model(model_field)._meta.verbose_name} #{value}", ""
    if isinstance(value, dt.datetime):
        return format_date(value.astimezone(BANGKOK), "SHORT_DATETIME_FORMAT"), ""
    if isinstance(value, dt.date):
        return format_date(value, "SHORT_DATE_FORMAT"), ""
    if isinstance(model_field, models.FileField):
        return os.path.basename(str(value)), ""
    if _is_hash(model_field):
        text = str(value)
        return (f"{text[:HASH_SHOWN]}…", text) if len(text) > HASH_SHOWN else (text, "")
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    if len(text) > LONG_TEXT:
        return f"{text[:LONG_TEXT]}…", text
    return text, ""


def _diff(
    fields: list[models.Field[Any, Any]], old: _Record, new: _Record
) -> tuple[FieldChange, ...]:
    changes = []
    for model_field in fields:
        before = getattr(old, model_field.attname, None)
        after = getattr(new, model_field.attname, None)
        if before != after:
            old_shown, old_full = display_value(model_field, before)
            new_shown, new_full = display_value(model_field, after)
            changes.append(
                FieldChange(str(model_field.verbose_name), old_shown, new_shown, old_full, new_full)
            )
    return tuple(changes)


def _filtered(
    model: type[models.Model],
    *,
    user_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
) -> models.QuerySet[Any]:
    rows: models.QuerySet[Any] = _history_model(model).objects.all()
    if user_id:
        rows = rows.filter(history_user_id=user_id)
    # Days are Bangkok's, as the page shows them; a range on the indexed date column.
    if since:
        rows = rows.filter(history_date__gte=dt.datetime.combine(since, dt.time(), BANGKOK))
    if until:
        next_day = until + dt.timedelta(days=1)
        rows = rows.filter(history_date__lt=dt.datetime.combine(next_day, dt.time(), BANGKOK))
    if action:
        rows = rows.filter(history_type=action)
    return rows


def _models_for(model_label: str) -> list[type[models.Model]]:
    return [m for m in audited_models() if not model_label or m._meta.label_lower == model_label]


def audit_keys(*, model_label: str = "", **filters: Any) -> models.QuerySet[Any] | list[Any]:
    """The (date, history id, model label) of every change matching the filters, newest
    first, as one query over all the history tables (a list when no model matches)."""
    parts = [
        _filtered(model, **filters)
        .annotate(audited_model=Value(model._meta.label_lower, output_field=CharField()))
        .values_list("history_date", "history_id", "audited_model")
        .order_by()  # the history's own ordering is not allowed inside a UNION
        for model in _models_for(model_label)
    ]
    if not parts:
        return []
    keys = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    ordered: models.QuerySet[Any] = keys.order_by("-history_date", "-history_id", "audited_model")
    return ordered


def audit_entries_for(
    keys: Iterable[tuple[Any, ...]], *, admin_links: bool = False, links: bool = True
) -> list[AuditEntry]:
    """The entries of these keys, in their order: one query per model among them for the
    rows, two per model with changes for the versions before them. `links=False` (the
    export) leaves out the pages' URLs."""
    keys = list(keys)
    by_model: dict[str, list[int]] = defaultdict(list)
    for _when, history_id, label in keys:
        by_model[label].append(history_id)
    records = {}
    for label, ids in by_model.items():
        model = apps.get_model(label)
        for record in (
            _history_model(model).objects.select_related("history_user").filter(history_id__in=ids)
        ):
            records[(label, record.history_id)] = (model, record)
    newest = [records[(label, hid)] for _when, hid, label in keys if (label, hid) in records]
    previous = _previous_records(newest)
    names = _label_fields()
    entries = []
    for model, record in newest:
        before = previous.get((model, record.history_id))
        changes = (
            _diff(_tracked_fields(model), before, record)
            if before and record.history_type == "~"
            else ()
        )
        user = record.history_user
        entries.append(
            AuditEntry(
                when=record.history_date.astimezone(BANGKOK),
                user=(user.get_full_name() or user.get_username()) if user else _g("system"),
                action=record.history_type,
                model_label=model._meta.label_lower,
                model_name=str(model._meta.verbose_name),
                object_id=_object_id(model, record),
                object_label=_label(model, record, names),
                reason=record.history_change_reason or "",
                changes=changes,
                link=_link(model, record, admin_links=admin_links) if links else "",
            )
        )
    return entries


def audit_entries(
    *, limit: int = 100, admin_links: bool = False, **filters: Any
) -> list[AuditEntry]:
    """The latest `limit` changes matching the filters, newest first."""
    return audit_entries_for(audit_keys(**filters)[:limit], admin_links=admin_links)


def iter_audit_entries(
    *, chunk: int = 500, on_progress: Callable[[int, int], None] | None = None, **filters: Any
) -> Iterator[AuditEntry]:
    """Every change matching the filters, newest first, read `chunk` at a time (for the
    export); `on_progress(done, total)` after each chunk."""
    keys = list(audit_keys(**filters))
    total = len(keys)
    if on_progress:
        on_progress(0, total)
    for start in range(0, total, chunk):
        yield from audit_entries_for(keys[start : start + chunk], links=False)
        if on_progress:
            on_progress(min(total, start + chunk), total)


def group_entries(entries: Iterable[AuditEntry]) -> list[DayGroup]:
    """Entries (newest first) by day, then by record, each in the order of its latest
    change that day."""
    days: list[DayGroup] = []
    groups: dict[tuple[Any, ...], ObjectGroup] = {}
    for entry in entries:
        if not days or days[-1].day != entry.day:
            days.append(DayGroup(entry.day))
        key = (entry.day, entry.model_label, entry.object_id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ObjectGroup(entry.model_name, entry.object_label, entry.link)
            days[-1].objects.append(group)
        group.entries.append(entry)
    return days


def _previous_records(
    newest: list[tuple[type[models.Model], _Record]],
) -> dict[tuple[type[models.Model], int], _Record]:
    """For each changed record, the record of the same object just before it. The
    objects' history is read as (object, id) pairs only, since a record changed a
    thousand times must not cost a thousand rows; then the rows wanted, by id."""
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    latest: dict[type[models.Model], dt.datetime] = {}
    for model, record in newest:
        if record.history_type == "~":
            wanted[model].add(record.history_id)
            latest[model] = max(latest.get(model, record.history_date), record.history_date)
    previous: dict[tuple[type[models.Model], int], _Record] = {}
    for model, history_ids in wanted.items():
        pk_name = model._meta.pk.attname
        rows = _history_model(model).objects
        object_ids = {
            _object_id(model, record)
            for m, record in newest
            if m is model and record.history_id in history_ids
        }
        before: dict[int, int] = {}
        pairs = (
            rows.filter(**{f"{pk_name}__in": object_ids}, history_date__lte=latest[model])
            .order_by(pk_name, "history_date", "history_id")
            .values_list(pk_name, "history_id")
        )
        for (older_object, older), (newer_object, newer) in pairwise(pairs):
            if newer in history_ids and older_object == newer_object:
                before[newer] = older
        if not before:
            continue
        older_rows = {row.history_id: row for row in rows.filter(history_id__in=before.values())}
        for newer, older in before.items():
            previous[(model, newer)] = older_rows[older]
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


def _readable(
    field: models.Field[Any, Any], value: object, names: dict[tuple[type[models.Model], Any], str]
) -> str:
    """A stored value as a reader reads it, a related record by its name when known."""
    if field.is_relation and value is not None:
        return names.get((_related_model(field), value), f"#{value}")
    return display_value(field, value)[0]


def records_history(
    model: type[models.Model], *, limit: int = 100, **lookups: object
) -> list[RecordChange]:
    """Every kept change of the records of one model that `lookups` select in its
    history table (deleted records too), newest first: who, when (the template shows it
    in Bangkok time) and which fields went from what to what. One query for the history
    and one per model its changes name (a district, a category), however many changes."""
    pk_name = model._meta.pk.attname
    rows = list(
        _history_model(model)
        .objects.filter(**lookups)
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
    wanted: dict[type[models.Model], set[object]] = defaultdict(set)
    for before, row in pairs:
        for model_field in fields:
            if model_field.is_relation:
                for record in (before, row):
                    value = getattr(record, model_field.attname, None) if record else None
                    if value is not None:
                        wanted[_related_model(model_field)].add(value)
    names = {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._default_manager.filter(pk__in=ids)
    }
    entries = []
    for before, row in pairs:
        changes: tuple[FieldChange, ...] = ()
        if before is not None and row.history_type == "~":
            changes = tuple(
                FieldChange(
                    str(model_field.verbose_name),
                    _readable(model_field, getattr(before, model_field.attname, None), names),
                    _readable(model_field, getattr(row, model_field.attname, None), names),
                )
                for model_field in fields
                if getattr(before, model_field.attname, None)
                != getattr(row, model_field.attname, None)
            )
        user = row.history_user
        entries.append(
            RecordChange(
                when=row.history_date,
                user=(user.get_full_name() or user.get_username()) if user else str(_("system")),
                action=row.history_type,
                model_name=str(model._meta.verbose_name),
                object_label=_label(model, row, _label_fields()),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
