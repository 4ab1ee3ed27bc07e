"""Writes of the sister-city app."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from core.audit import save_audited

from .models import Agreement, SisterCity, validate_time_zone

FORMS = {
    "sister city agreement": Agreement.Form.SISTER_CITY,
    "friendship agreement": Agreement.Form.FRIENDSHIP,
    "agreement on the establishment of friendship cities": Agreement.Form.FRIENDSHIP_CITIES,
}


@dataclass
class CityImportReport:
    cities_created: int = 0
    agreements_created: int = 0
    unchanged: int = 0


@transaction.atomic
def sister_cities_import_csv(
    *, rows: Iterable[dict[str, str]], acting_user: User | None
) -> CityImportReport:
    """Add the cities and ties of a public list (name_en, country_iso, iana_time_zone,
    year_established, tie_form, source). What staff have entered or corrected is never
    overwritten: a known city only gains a tie of a year it does not have yet."""
    report = CityImportReport()
    for row in rows:
        name = row["name_en"].strip()
        validate_time_zone(row["iana_time_zone"].strip())
        city = SisterCity.objects.filter(name_en__iexact=name).first()
        if city is None:
            # The list has no Thai names; staff add them. Until then the English shows.
            city = SisterCity(
                name_en=name,
                name_th=name,
                country=row["country_iso"].strip(),
                time_zone=row["iana_time_zone"].strip(),
            )
            save_audited(city, acting_user=acting_user, reason="public list of sister cities")
            report.cities_created += 1
        year = int(row["year_established"])
        if city.agreements.filter(signed_year=year).exists():
            report.unchanged += 1
            continue
        written = row.get("tie_form", "").strip()
        form = FORMS.get(written.casefold(), Agreement.Form.OTHER if written else "")
        agreement = Agreement(
            city=city,
            form=form,
            form_detail=written if form == Agreement.Form.OTHER else "",
            signed_year=year,
            source=row.get("source", "").strip()[:500],
        )
        save_audited(agreement, acting_user=acting_user, reason="public list of sister cities")
        report.agreements_created += 1
    return report


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))
