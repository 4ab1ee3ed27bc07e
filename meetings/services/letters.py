"""Step 4 of the work plan in the portal: FAO records the inquiry letter sent to a city
of a session, and the city's reply. Sending marks the session's cities invited; when
every city of the session has accepted (cities.letters.every_city_accepted), the session
moves to "city confirmed". A letter the documents app made is kept in step by that app,
so its reply is recorded there."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.letters import can_record_reply, every_city_accepted
from cities.models import InquiryLetter
from core.audit import save_audited

from ..models import Session
from .sessions import session_mark_city_confirmed, session_mark_city_invited

Status = Session.Status
Reply = InquiryLetter.Reply


def _refuse_future(day: dt.date, message) -> None:
    if day > timezone.localdate():
        raise ValidationError(message, code="future")


@transaction.atomic
def inquiry_letter_record_sent(
    *,
    session_id: int,
    city_id: int,
    sent_on: dt.date,
    signed_by: str,
    reference: str = "",
    notes: str = "",
    acting_user: User,
) -> InquiryLetter:
    session = Session.objects.select_for_update().select_related("year").get(pk=session_id)
    if session.is_closed:
        raise ValidationError(
            _("This session is %(status)s; its letters can no longer change."),
            params={"status": session.get_status_display()},
            code="session_closed",
        )
    if not session.cities.filter(pk=city_id).exists():
        raise ValidationError(
            _("Choose one of the session's sister cities for this letter."), code="city"
        )
    _refuse_future(sent_on, _("The date sent cannot be in the future."))
    if not signed_by.strip():
        raise ValidationError(_("Say who signed the letter."), code="signed_by")
    if InquiryLetter.objects.filter(session=session, city_id=city_id, reply=Reply.PENDING).exists():
        raise ValidationError(
            _("A letter to this city for this session is already awaiting a reply."),
            code="pending",
        )
    letter = InquiryLetter(
        session=session,
        city_id=city_id,
        fiscal_year=session.year.fiscal_year,
        sent_on=sent_on,
        signed_by=signed_by.strip(),
        reference=reference.strip(),
        notes=notes.strip(),
    )
    save_audited(letter, acting_user=acting_user, reason="letter sent")
    if not session.has_reached(Status.CITY_INVITED):
        session_mark_city_invited(session_id=session.pk, acting_user=acting_user)
    return letter


@transaction.atomic
def inquiry_letter_record_reply(
    *,
    letter_id: int,
    reply: str,
    replied_on: dt.date,
    note: str = "",
    acting_user: User,
) -> InquiryLetter:
    letter = (
        InquiryLetter.objects.select_for_update(of=("self",))
        .select_related("session", "document")
        .get(pk=letter_id)
    )
    if not can_record_reply(letter):
        raise ValidationError(
            _("This letter was made in Documents; record its reply there."), code="document"
        )
    if reply not in (Reply.ACCEPTED, Reply.DECLINED):
        raise ValidationError(_("Choose whether the city accepted or declined."), code="reply")
    if replied_on < letter.sent_on:
        raise ValidationError(
            _("The reply cannot come before the letter was sent."), code="before_sent"
        )
    _refuse_future(replied_on, _("The date of the reply cannot be in the future."))
    session = letter.session
    if session is not None and session.is_closed:
        raise ValidationError(
            _("This session is %(status)s; its letters can no longer change."),
            params={"status": session.get_status_display()},
            code="session_closed",
        )
    note = note.strip()
    if (letter.reply, letter.replied_on, letter.notes) == (reply, replied_on, note):
        return letter
    letter.reply, letter.replied_on, letter.notes = reply, replied_on, note
    save_audited(letter, acting_user=acting_user, reason="reply recorded")
    if (
        reply == Reply.ACCEPTED
        and session is not None
        and session.has_reached(Status.CITY_INVITED)
        and not session.has_reached(Status.CITY_CONFIRMED)
        and every_city_accepted(
            session.cities.values_list("pk", flat=True),
            InquiryLetter.objects.filter(session=session),
        )
    ):
        session_mark_city_confirmed(session_id=session.pk, acting_user=acting_user)
    return letter
