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

from .letters import can_record_reply, city_letter_state
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


def candidates_for_year(fiscal_year: int) -> list[SisterCity]:
    """Eligible cities with what a planner needs: interests, contacts, this year's
    inquiry letters with their replies, and `letter_state` (cities.letters), which also
    reads the city's sessions of the year."""
    cities = list(_candidates(fiscal_year))
    for city in cities:
        city.sessions_this_year = [
            s for s in city.sessions.all() if s.year.fiscal_year == fiscal_year
        ]
        city.letter_state = city_letter_state(
            letters=city.letters_this_year, sessions=city.sessions_this_year
        )
    return cities


def _candidates(fiscal_year: int) -> QuerySet[SisterCity]:
    letters = InquiryLetter.objects.filter(fiscal_year=fiscal_year).prefetch_related("attachments")
    return (
        with_eligibility(SisterCity.objects.all())
        .filter(is_eligible=True)  # type: ignore[misc]  # annotated by with_eligibility
        .prefetch_related(
            "interested_categories",
            Prefetch("contacts", queryset=CityContact.objects.select_related("working_language")),
            Prefetch("agreements", queryset=Agreement.objects.prefetch_related("fields")),
            Prefetch("inquiry_letters", queryset=letters, to_attr="letters_this_year"),
            # All the city's sessions (a few a year), read through the relation's own
            # manager: cities does not import meetings.
            "sessions__year",
        )
        .order_by("name_en")
    )


def letters_for_year(fiscal_year: int) -> list[InquiryLetter]:
    """The year's letters, each with `state` (cities.letters) and `can_reply` (False for
    a letter the documents app made, whose reply is recorded there)."""
    letters = list(
        InquiryLetter.objects.filter(fiscal_year=fiscal_year)
        .select_related("city", "session__year", "document")
        .prefetch_related("attachments")
        .order_by("-sent_on", "-pk")
    )
    for letter in letters:
        sessions = [letter.session] if letter.session is not None else []
        letter.state = city_letter_state(letters=[letter], sessions=sessions)
        letter.can_reply = can_record_reply(letter)
        letter.awaiting_reply = letter.reply == InquiryLetter.Reply.PENDING
    return letters


def attachment(pk: int) -> InquiryLetterAttachment:
    return InquiryLetterAttachment.objects.select_related("letter").get(pk=pk)
