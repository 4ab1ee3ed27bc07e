"""Reads of the documents app: a year's documents, each subject with its register entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from meetings.models import ProgrammeYear

from .models import CITY_KINDS, SESSION_KINDS, YEAR_KINDS, Document, DocumentVersion, Kind


@dataclass
class Subject:
    """One document the year needs: what it is about, and its register entry if any."""

    kind: str
    session: object | None
    city: object | None
    document: Document | None

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def versions(self) -> list[DocumentVersion]:
        return list(self.document.versions.all()) if self.document else []


def years() -> list[ProgrammeYear]:
    return list(ProgrammeYear.objects.order_by("-fiscal_year"))


def year_subjects(year: ProgrammeYear) -> list[Subject]:
    """Every document of the year in the order of the work plan, in three queries."""
    documents = {
        (d.kind, d.session_id, d.city_id): d
        for d in Document.objects.filter(year=year).prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("generated_by").order_by(
                    "-version"
                ),
            )
        )
    }
    sessions = list(
        year.sessions.exclude(status="cancelled").prefetch_related("cities").order_by("number")
    )
    subjects = [Subject(kind, None, None, documents.get((kind, None, None))) for kind in YEAR_KINDS]
    for session in sessions:
        for kind in CITY_KINDS:
            for city in session.cities.all():
                subjects.append(
                    Subject(kind, session, city, documents.get((kind, session.pk, city.pk)))
                )
        for kind in SESSION_KINDS:
            if kind == Kind.REPORT_COVER and not session.is_held:
                continue
            subjects.append(Subject(kind, session, None, documents.get((kind, session.pk, None))))
    return subjects


def document_get(pk: int) -> Document:
    return (
        Document.objects.select_related("year", "session__year", "city", "signed_uploaded_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("generated_by").order_by(
                    "-version"
                ),
            )
        )
        .get(pk=pk)
    )


def version_get(pk: int) -> DocumentVersion:
    return DocumentVersion.objects.select_related("document").get(pk=pk)
