"""Dates stored outside any plausible year: most are BE years that were stored as CE
(2569 for 2026) before the admin read BE years. `manage.py check_dates` lists them so
that FAO can correct them; a data migration runs the same check once, reporting only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

from .thai import BE_OFFSET

EARLIEST_YEAR = 2000
LATEST_YEAR = 2200


@dataclass(frozen=True)
class OddDate:
    model_label: str
    pk: object
    field: str
    value: dt.date

    @property
    def likely_meant(self) -> dt.date | None:
        """The CE date, when the stored year reads as a BE year typed as CE."""
        year = self.value.year - BE_OFFSET
        if EARLIEST_YEAR <= year <= LATEST_YEAR:
            try:
                return self.value.replace(year=year)
            except ValueError:  # 29 February
                return None
        return None

    @property
    def admin_url(self) -> str:
        app_label, model_name = self.model_label.lower().split(".")
        try:
            return reverse(f"admin:{app_label}_{model_name}_change", args=[self.pk])
        except NoReverseMatch:
            return ""

    def describe(self) -> str:
        text = f"{self.model_label} {self.pk} {self.field} = {self.value.isoformat()}"
        meant = self.likely_meant
        if meant is not None:
            text += f" (a BE year? probably {meant.isoformat()})"
        return f"{text} {self.admin_url}".rstrip()


def _is_history_table(model: type[models.Model]) -> bool:
    # simple_history's copies keep what was stored then; the live row is what FAO fixes.
    return model.__name__.startswith("Historical") and any(
        field.name == "history_id" for field in model._meta.fields
    )


def _outside(field: models.DateField[Any, Any], earliest: int, latest: int) -> models.Q:
    if isinstance(field, models.DateTimeField):
        low: dt.date = dt.datetime(earliest, 1, 1, tzinfo=dt.UTC)
        high: dt.date = dt.datetime(latest + 1, 1, 1, tzinfo=dt.UTC)
    else:
        low, high = dt.date(earliest, 1, 1), dt.date(latest + 1, 1, 1)
    return models.Q(**{f"{field.attname}__lt": low}) | models.Q(**{f"{field.attname}__gte": high})


def implausible_dates(
    model_list: Iterable[type[models.Model]],
    *,
    earliest: int = EARLIEST_YEAR,
    latest: int = LATEST_YEAR,
) -> Iterator[OddDate]:
    """Every stored date or date-time whose (CE) year is before `earliest` or after
    `latest`, model by model, field by field, in primary-key order."""
    for model in model_list:
        meta = model._meta
        if meta.proxy or not meta.managed or _is_history_table(model):
            continue
        for field in meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            rows = (
                model._base_manager.filter(_outside(field, earliest, latest))
                .order_by("pk")
                .values_list("pk", field.attname)
            )
            for pk, value in rows:
                yield OddDate(meta.label, pk, field.name, value)


def implausible_dates_report(
    model_list: Iterable[type[models.Model]], **bounds: int
) -> tuple[list[OddDate], list[str]]:
    """The odd dates and the lines that list them, ending with a total."""
    found = list(implausible_dates(model_list, **bounds))
    earliest = bounds.get("earliest", EARLIEST_YEAR)
    latest = bounds.get("latest", LATEST_YEAR)
    total = (
        f"{len(found)} stored date(s) outside the years {earliest}–{latest} CE."
        if found
        else f"No stored date outside the years {earliest}–{latest} CE."
    )
    return found, [odd.describe() for odd in found] + [total]
