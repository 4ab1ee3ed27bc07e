"""The import itself: check the file, read it against the schema, plan, then write once."""

from __future__ import annotations

import gc
import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, connection, models, transaction

from core.i18n import pick

from .reader import Issues, ParsedWorkbook, Progress, read_workbook
from .safety import Limits, WorkbookRejected, check_workbook
from .schema import WorkbookSchema

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
DELETE = "delete"
ITEMS_KEPT = 200  # per action, for the preview; the counts cover everything


@dataclass
class Change:
    field_th: str
    field_en: str
    old: str
    new: str

    @property
    def field(self) -> str:
        return pick(self.field_th, self.field_en)


@dataclass
class PlanItem:
    action: str
    entity: str  # a key of Plan.entities
    key: str  # how the user recognises the record: a certificate number, a name
    sheet: str = ""
    row: int | None = None
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "entity": self.entity,
            "key": self.key,
            "sheet": self.sheet,
            "row": self.row,
            "changes": [vars(c) for c in self.changes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanItem:
        changes = [Change(**c) for c in data.get("changes", [])]
        return cls(**{**data, "changes": changes})


class Plan:
    """What the write will do. `payload` carries whatever `apply` needs (model instances
    ready to save); only counts, the first items and the fingerprint are kept."""

    def __init__(self, entities: dict[str, tuple[str, str]]):
        self.entities = entities  # key -> (Thai label, English label), plural
        self.counts = {key: {CREATE: 0, UPDATE: 0, UNCHANGED: 0, DELETE: 0} for key in entities}
        self.items: list[PlanItem] = []
        self._kept = {CREATE: 0, UPDATE: 0, DELETE: 0}
        self._digest = hashlib.sha256()
        self.payload: dict[str, Any] = {}

    def add(self, item: PlanItem) -> None:
        self.counts[item.entity][item.action] += 1
        if item.action != UNCHANGED:
            changes = [(c.field_en, c.old, c.new) for c in item.changes]
            self._digest.update(repr((item.action, item.entity, item.key, changes)).encode())
            if self._kept[item.action] < ITEMS_KEPT:
                self._kept[item.action] += 1
                self.items.append(item)

    @property
    def fingerprint(self) -> str:
        return self._digest.hexdigest() if self._digest is not None else self._fingerprint

    def __getstate__(self) -> dict[str, Any]:
        # Kept with the upload between its check and its confirmation (lifecycle.keep_plan):
        # the digest cannot be pickled and is complete by then.
        state = dict(self.__dict__)
        state["_fingerprint"] = self.fingerprint
        state["_digest"] = None
        return state

    @property
    def writes(self) -> int:
        return sum(c[CREATE] + c[UPDATE] + c[DELETE] for c in self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "counts": self.counts,
            "items": [i.as_dict() for i in self.items],
            "fingerprint": self.fingerprint,
        }


@dataclass
class ImportResult:
    issues: Issues
    plan: Plan | None = None
    row_count: int = 0
    applied: bool = False
    refused: str = ""  # the database's reason when it refused the write
    # What the plan read of the database (SpreadsheetImport.state), when the import can
    # tell; the confirmation writes this plan without checking the file again only while
    # the state is the same.
    state: str | None = None
    state_keys: Any = None

    @property
    def ok(self) -> bool:
        return not self.issues.has_errors and self.plan is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "applied": self.applied,
            "rows": self.row_count,
            "error_count": self.issues.error_count,
            "warning_count": self.issues.warning_count,
            "dropped": self.issues.dropped,
            "issues": [i.as_dict() for i in self.issues],
            "plan": self.plan.as_dict() if self.plan is not None and self.ok else None,
        }


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its rows and plan.

    Reading 20,000 rows makes a few hundred thousand objects that all live until the
    write, and none in reference cycles; the collector, triggered by the allocations
    alone, would walk the growing heap again and again for nothing (unpickling a kept
    plan took 1.6 s with it, 0.2 s without). Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class PlanChanged(Exception):
    """The records changed between the preview and the confirmation."""


class SpreadsheetImport:
    """Subclass with `build_schema`, `make_plan` and `apply`; see the package docstring."""

    #: plural labels of what the plan counts, key -> (Thai, English)
    entities: dict[str, tuple[str, str]] = {}

    def build_schema(self) -> WorkbookSchema:
        raise NotImplementedError

    def make_plan(self, workbook: ParsedWorkbook, issues: Issues, plan: Plan) -> None:
        """Match rows with records, add cross-row and database errors to `issues`, and
        fill `plan` (items and payload). Called even when cells had errors, so that the
        user sees every problem at once; skip rows whose `valid` is False."""
        raise NotImplementedError

    def apply(self, plan: Plan, *, acting_user: User | None) -> None:
        """Write the plan. Runs inside one transaction with the import lock held."""
        raise NotImplementedError

    def lock_key(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def state_keys(self, workbook: ParsedWorkbook) -> Any:
        """What of the file decides which records the plan reads (certificate numbers,
        say), for `state_querysets`; it is kept with the plan."""
        return None

    def state_querysets(self, keys: Any) -> list[models.QuerySet[Any]] | None:
        """Every record `make_plan` (and the schema's choices) read for a file with these
        keys. None (the default) means the import cannot tell: the confirmation then
        checks the whole file again."""
        return None

    def state(self, keys: Any) -> str | None:
        """A digest of the records the plan depends on: a row added, removed or saved
        (auto_now `updated_at`, or any field of a model without one) changes it."""
        querysets = self.state_querysets(keys)
        if querysets is None:
            return None
        digest = hashlib.sha256()
        for queryset in querysets:
            model = queryset.model
            names = {f.name for f in model._meta.concrete_fields}
            fields = (
                ["pk", "updated_at"]
                if "updated_at" in names
                else [f.attname for f in model._meta.concrete_fields]
            )
            digest.update(model._meta.label.encode())
            for row in queryset.order_by("pk").values_list(*fields):
                digest.update(repr(row).encode())
        return digest.hexdigest()

    # -- driver ----------------------------------------------------------------------

    def validate(
        self,
        stream: IO[bytes],
        *,
        progress: Progress | None = None,
        ignore_extra_columns: bool = False,
        keep_state: bool = True,
    ) -> ImportResult:
        """Check, read and plan; writes nothing. A header that is not the template's is
        an error unless `ignore_extra_columns` (the user's explicit choice). Without
        `keep_state` (a plan written at once, never compared) the records' digest is
        not made."""
        with gc_paused():
            return self._validate(stream, progress, ignore_extra_columns, keep_state=keep_state)

    def _validate(
        self,
        stream: IO[bytes],
        progress: Progress | None,
        ignore_extra_columns: bool,
        *,
        keep_state: bool,
    ) -> ImportResult:
        limits = Limits.from_settings()
        issues = Issues()
        try:
            check_workbook(stream, limits)
            schema = self.build_schema()
            schema.prepare()
            workbook = read_workbook(
                stream,
                schema,
                issues,
                limits=limits,
                progress=progress,
                ignore_extra_columns=ignore_extra_columns,
            )
        except WorkbookRejected as rejected:
            issues.add(rejected.issue)
            return ImportResult(issues=issues)
        # Before the plan reads the records: a change made while it reads changes the
        # state seen at the confirmation, never only the plan.
        # A plan written at once, under the import's lock, is never compared again: the
        # digest (three reads of every record the file names) is for a kept plan only.
        keys = self.state_keys(workbook) if keep_state else None
        state = self.state(keys) if keep_state else None
        plan = Plan(self.entities)
        self.make_plan(workbook, issues, plan)
        return ImportResult(
            issues=issues,
            plan=plan,
            row_count=workbook.row_count,
            state=state,
            state_keys=keys,
        )

    def commit(
        self,
        stream: IO[bytes],
        *,
        acting_user: User | None,
        expected_fingerprint: str | None = None,
        progress: Progress | None = None,
        ignore_extra_columns: bool = False,
        checked: ImportResult | None = None,
    ) -> ImportResult:
        """Validate again and, when the file is clean, write everything in one transaction.

        The plan is made inside the transaction with the import's lock held, so two imports
        of the same kind never interleave. With `expected_fingerprint` (from the preview)
        the import refuses to write a plan other than the one the user confirmed.
        `checked`, the result of the check of this very file, is written as it is when the
        records it read are as they were (its `state`); otherwise the file is read again.
        """
        result = None
        try:
            with transaction.atomic():
                self._lock()
                if (
                    checked is not None
                    and checked.ok
                    and checked.state is not None
                    and checked.state == self.state(checked.state_keys)
                ):
                    result = checked
                else:
                    result = self.validate(
                        stream,
                        progress=progress,
                        ignore_extra_columns=ignore_extra_columns,
                        keep_state=False,
                    )
                if not result.ok or result.plan is None:  # a clean result has its plan
                    return result
                fingerprint = result.plan.fingerprint
                if expected_fingerprint is not None and fingerprint != expected_fingerprint:
                    raise PlanChanged
                self.apply(result.plan, acting_user=acting_user)
                result.applied = True
        except (IntegrityError, DataError) as exc:
            # A constraint the plan did not foresee: retrying cannot help, so it is the
            # user's message (the transaction has rolled back: nothing was written).
            if result is None:
                raise
            detail = " ".join(str(exc).split())[:500]
            result.issues.error("write_refused", params={"detail": detail})
            result.refused = detail
        return result

    def _lock(self) -> None:
        if connection.vendor == "postgresql":
            key = zlib.crc32(self.lock_key().encode())
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
