"""Reads of sister cities: eligibility, candidates for a fiscal year, inquiry letters."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from .models import Agreement, CityContact, InquiryLetter, InquiryLetterAttachment, SisterCity


def with_eligibility(cities: QuerySet[SisterCity]) -> QuerySet[SisterCity]:
    """Annotate `has_economic_tie` and `is_eligible` (the source's two tests) in SQL, so a
    list shows the column without a query per city."""
    economic = Agreement.objects.filter(city=OuterRef("pk"), fields__is_economic=True)
    return cities.annotate(has_economic_tie=Exists(economic)).annotate(
        is_eligible=ExpressionWrapper(
            Q(has_economic_tie=True) & Q(is_active_with_bma=True), output_field=BooleanField()
        )
    )


def candidates_for_year(fiscal_year: int) -> QuerySet[SisterCity]:
    """Eligible cities with what a planner needs: interests, contacts, and this year's
    inquiry letters with their replies."""
    letters = InquiryLetter.objects.filter(fiscal_year=fiscal_year).prefetch_related("attachments")
    return (
        with_eligibility(SisterCity.objects.all())
        .filter(is_eligible=True)  # type: ignore[misc]  # annotated by with_eligibility
        .prefetch_related(
            "interested_categories",
            Prefetch("contacts", queryset=CityContact.objects.select_related("working_language")),
            Prefetch("agreements", queryset=Agreement.objects.prefetch_related("fields")),
            Prefetch("inquiry_letters", queryset=letters, to_attr="letters_this_year"),
        )
        .order_by("name_en")
    )


def letters_for_year(fiscal_year: int) -> QuerySet[InquiryLetter]:
    return (
        InquiryLetter.objects.filter(fiscal_year=fiscal_year)
        .select_related("city", "session__year")
        .prefetch_related("attachments")
        .order_by("-sent_on", "pk")
    )


def attachment(pk: int) -> InquiryLetterAttachment:
    return InquiryLetterAttachment.objects.select_related("letter").get(pk=pk)
