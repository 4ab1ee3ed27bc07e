"""Where a city stands with this year's invitation, from what was recorded: its inquiry
letters and their replies, and the sessions it takes part in. One rule, used by the
candidate page and the letter pages, so that no page says "not sent" after the city was
invited or the session held."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import InquiryLetter


class LetterState(models.TextChoices):
    NOT_SENT = "not_sent", _("No letter sent")
    # The session page recorded the invitation, but no letter was entered.
    INVITED = "invited", _("City invited (no letter recorded)")
    SENT = "sent", _("Letter sent, awaiting a reply")
    ACCEPTED = "accepted", _("The city accepted")
    DECLINED = "declined", _("The city declined")
    HELD = "held", _("Session held")


def latest_letter(letters: Iterable[InquiryLetter]) -> InquiryLetter | None:
    """The last letter sent: a later letter answers for an earlier one."""
    return max(letters, key=lambda letter: (letter.sent_on, letter.pk), default=None)


def city_letter_state(*, letters: Sequence[InquiryLetter], sessions: Sequence) -> LetterState:
    """`sessions`: the city's sessions of the same fiscal year (meetings' Session, read
    through its own methods: cities does not import meetings)."""
    if any(session.is_held for session in sessions):
        return LetterState.HELD
    letter = latest_letter(letters)
    if letter is not None:
        if letter.reply == InquiryLetter.Reply.ACCEPTED:
            return LetterState.ACCEPTED
        if letter.reply == InquiryLetter.Reply.DECLINED:
            return LetterState.DECLINED
        return LetterState.SENT
    if any(session.has_reached("city_invited") for session in sessions):
        return LetterState.INVITED
    return LetterState.NOT_SENT


def every_city_accepted(city_ids: Iterable[int], letters: Iterable[InquiryLetter]) -> bool:
    """A session's cities have confirmed when each city's latest letter was accepted."""
    city_ids = set(city_ids)
    by_city: dict[int, list[InquiryLetter]] = {}
    for letter in letters:
        by_city.setdefault(letter.city_id, []).append(letter)
    return bool(city_ids) and all(
        (last := latest_letter(by_city.get(pk, []))) is not None
        and last.reply == InquiryLetter.Reply.ACCEPTED
        for pk in city_ids
    )


def can_record_reply(letter: InquiryLetter) -> bool:
    """A letter the documents app made takes its reply there (it keeps the two in step)."""
    return getattr(letter, "document", None) is None
