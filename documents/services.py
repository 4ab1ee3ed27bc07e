"""Writes of the documents app: generating a document (its number, its version), and
recording what happens to it: signed, sent, answered. Each is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import save_audited
from meetings.models import ProgrammeYear, Session
from meetings.services.workplan import workplan_set_from_record

from .compose import compose
from .models import (
    CITY_KINDS,
    SESSION_KINDS,
    Document,
    DocumentVersion,
    Kind,
    Language,
    NumberSequence,
    WorkingGroup,
)
from .render import render
from .validators import validate_pdf_upload

REPEAT_WINDOW = dt.timedelta(seconds=10)


def subject_key(kind: str, year_id: int, session_id: int | None, city_id: int | None) -> str:
    return f"{kind}:{year_id}:{session_id or '-'}:{city_id or '-'}"


def _check_subject(kind: str, year: ProgrammeYear, session: Session | None, city_id) -> None:
    if (kind in SESSION_KINDS or kind in CITY_KINDS) and (
        session is None or session.year_id != year.pk
    ):
        raise ValidationError(_("Choose a session of this year for this document."))
    # Past the test above, the session- and city-kinds below have their session.
    if kind in CITY_KINDS and not cast(Session, session).cities.filter(pk=city_id).exists():
        raise ValidationError(_("Choose one of the session's sister cities for this letter."))
    if kind == Kind.REPORT_COVER and not cast(Session, session).is_held:
        raise ValidationError(_("The cover letter of a report is written after the session."))


def _allocate(
    year: ProgrammeYear, kind: str, session, city_id, today: dt.date
) -> tuple[Document, NumberSequence | None]:
    """The register entry of this subject, numbered from the year's sequence when new.

    The sequence row is locked first: two generations at once wait for each other, the
    second then finds the first's entry or the next number, and no number repeats."""
    try:
        sequence = NumberSequence.objects.select_for_update().get(fiscal_year=year.fiscal_year)
    except NumberSequence.DoesNotExist:
        raise ValidationError(
            _(
                "Set up the document numbers of FY %(year)s first "
                "(admin: document number sequences)."
            )
            % {"year": year.fiscal_year}
        ) from None
    key = subject_key(kind, year.pk, session.pk if session else None, city_id)
    document = Document.objects.filter(subject_key=key).first()
    if document is not None:
        return document, None
    document = Document(
        kind=kind,
        year=year,
        session=session,
        city_id=city_id,
        subject_key=key,
        number=sequence.next_number,
        prefix_th=sequence.prefix_th,
        prefix_en=sequence.prefix_en,
        dated=today,
    )
    sequence.next_number += 1
    return document, sequence


@transaction.atomic
def document_generate(
    *,
    kind: str,
    year_id: int,
    language: str,
    session_id: int | None = None,
    city_id: int | None = None,
    acting_user: User | None,
) -> DocumentVersion:
    """A new version of the document (.docx and PDF) in one language. The first
    generation of a subject takes the next number; later ones keep it."""
    if kind not in Kind.values:
        raise ValidationError(_("Unknown document."))
    if language not in Language.values:
        raise ValidationError(_("Unknown language."))
    year = ProgrammeYear.objects.get(pk=year_id)
    session = Session.objects.get(pk=session_id) if session_id else None
    if kind not in CITY_KINDS:
        city_id = None
    if kind not in SESSION_KINDS and kind not in CITY_KINDS:
        session = None
    _check_subject(kind, year, session, city_id)
    document, sequence = _allocate(year, kind, session, city_id, timezone.localdate())
    if sequence is not None:
        save_audited(sequence, acting_user=acting_user, update_fields=["next_number"])
        save_audited(document, acting_user=acting_user, reason="generated")
    else:
        document = Document.objects.select_for_update().get(pk=document.pk)
        # A double click (or a resubmitted form) must not add a second, identical version.
        recent = document.versions.filter(
            language=language,
            generated_by=acting_user,
            generated_at__gte=timezone.now() - REPEAT_WINDOW,
        ).first()
        if recent is not None:
            return recent
    version_number = (document.versions.aggregate(m=Max("version"))["m"] or 0) + 1
    rendered = render(compose(document, language))
    base = f"{document.kind}-{year.fiscal_year}-{document.number}-v{version_number}-{language}"
    version = DocumentVersion(
        document=document,
        version=version_number,
        language=language,
        generated_by=acting_user,
        docx_seconds=rendered.docx_seconds,
        pdf_seconds=rendered.pdf_seconds,
    )
    version.docx.save(f"{base}.docx", ContentFile(rendered.docx), save=False)
    version.pdf.save(f"{base}.pdf", ContentFile(rendered.pdf), save=False)
    version.save()
    if kind == Kind.APPROVAL_MEMO:
        first_steps_sync(year=year, acting_user=acting_user)
    return version


def first_steps_sync(*, year: ProgrammeYear, acting_user: User | None) -> None:
    """Work-plan steps 1–3 of the year's first session, from the records: 1 when the
    approval memo (which carries the study) exists, 2 when the working group has its
    chair from SDO and members of SDO, SEO and FAO, 3 when the approval and the signed
    order are recorded."""
    session = year.sessions.filter(number=1).first()
    if session is None:
        return
    group = WorkingGroup.objects.filter(year=year).prefetch_related("members").first()
    members = list(group.members.all()) if group else []
    offices = {m.office for m in members}
    chair = next((m for m in members if m.role == m.Role.CHAIR), None)
    states = {
        1: Document.objects.filter(year=year, kind=Kind.APPROVAL_MEMO).exists(),
        2: bool(chair and chair.office == "sdo" and {"sdo", "seo", "fao"} <= offices),
        3: bool(group and group.is_approved and group.order_is_signed),
    }
    notes = {1: "approval memo written", 2: "working group recorded", 3: "approval and order"}
    for number, done in states.items():
        workplan_set_from_record(
            session=session, number=number, done=done, acting_user=acting_user, note=notes[number]
        )


def _lock(document_id: int) -> Document:
    return (
        # Only the document row: PostgreSQL locks no nullable side of an outer join.
        Document.objects.select_for_update(of=("self",))
        .select_related("session", "city")
        .get(pk=document_id)
    )


@transaction.atomic
def document_upload_signed(*, document_id: int, upload, acting_user: User) -> Document:
    validate_pdf_upload(upload)
    document = _lock(document_id)
    document.signed_copy.save(f"{document.subject_key.replace(':', '-')}.pdf", upload, save=False)
    document.signed_uploaded_at = timezone.now()
    document.signed_uploaded_by = acting_user
    save_audited(
        document,
        acting_user=acting_user,
        reason="signed copy",
        update_fields=["signed_copy", "signed_uploaded_at", "signed_uploaded_by"],
    )
    return document


@transaction.atomic
def document_record_sent(*, document_id: int, sent_on: dt.date, acting_user: User) -> Document:
    """The date the document went out. A letter to a city also enters the city's
    register of inquiry letters and marks the session's cities invited (step 4)."""
    document = _lock(document_id)
    if sent_on < document.dated:
        raise ValidationError(_("A document cannot be sent before its date."))
    if sent_on > timezone.localdate():
        raise ValidationError(_("The date sent cannot be in the future."))
    if document.sent_on == sent_on:
        return document  # the same submission again changes nothing
    document.sent_on = sent_on
    save_audited(document, acting_user=acting_user, reason="sent", update_fields=["sent_on"])
    if document.is_city_letter:
        _sync_inquiry_letter(document, acting_user)
        from meetings.services.sessions import session_mark_city_invited

        # _check_subject gave every city letter its session.
        assert document.session is not None and document.session_id is not None
        if not document.session.has_reached(Session.Status.CITY_INVITED):
            session_mark_city_invited(session_id=document.session_id, acting_user=acting_user)
    return document


def _sync_inquiry_letter(document: Document, acting_user) -> None:
    from cities.models import InquiryLetter

    from .compose import template_texts

    letter = document.inquiry_letter or InquiryLetter(
        city=document.city, fiscal_year=document.year.fiscal_year, session=document.session
    )
    # Both callers have the letter sent: document_send sets the date, a reply needs it.
    assert document.sent_on is not None
    letter.sent_on = document.sent_on
    letter.signed_by = template_texts(document.kind, "en").get("signer_title", "")[:255]
    letter.reply = document.reply
    letter.replied_on = document.replied_on
    letter.notes = document.reply_note
    save_audited(letter, acting_user=acting_user, reason=f"document {document.pk}")
    if document.inquiry_letter_id != letter.pk:
        document.inquiry_letter = letter
        save_audited(document, acting_user=acting_user, update_fields=["inquiry_letter"])


@transaction.atomic
def document_record_reply(
    *,
    document_id: int,
    reply: str,
    replied_on: dt.date,
    note: str = "",
    attachment=None,
    acting_user: User,
) -> Document:
    """A city's answer. When every city of the session has accepted, the session moves
    to "city confirmed"."""
    document = _lock(document_id)
    if not document.is_city_letter:
        raise ValidationError(_("Only a letter to a sister city has a reply."))
    if document.sent_on is None:
        raise ValidationError(_("Record the date the letter was sent before its reply."))
    if reply not in (Document.Reply.ACCEPTED, Document.Reply.DECLINED):
        raise ValidationError(_("Choose whether the city accepted or declined."))
    if replied_on < document.sent_on:
        raise ValidationError(_("The reply cannot come before the letter was sent."))
    if replied_on > timezone.localdate():
        raise ValidationError(_("The date of the reply cannot be in the future."))
    if attachment is not None:
        validate_pdf_upload(attachment)
        document.reply_attachment.save(
            f"{document.subject_key.replace(':', '-')}-reply.pdf", attachment, save=False
        )
    document.reply, document.replied_on, document.reply_note = reply, replied_on, note
    save_audited(
        document,
        acting_user=acting_user,
        reason="reply",
        update_fields=["reply", "replied_on", "reply_note", "reply_attachment"],
    )
    _sync_inquiry_letter(document, acting_user)
    assert document.session_id is not None  # _check_subject gave every city letter its session
    session = Session.objects.get(pk=document.session_id)
    if reply == Document.Reply.ACCEPTED and _all_cities_accepted(session):
        from meetings.services.sessions import session_mark_city_confirmed

        if session.has_reached(Session.Status.CITY_INVITED) and not session.has_reached(
            Session.Status.CITY_CONFIRMED
        ):
            session_mark_city_confirmed(session_id=session.pk, acting_user=acting_user)
    return document


def _all_cities_accepted(session: Session) -> bool:
    cities = set(session.cities.values_list("pk", flat=True))
    accepted = set(
        Document.objects.filter(
            session=session, kind=Kind.INQUIRY_LETTER, reply=Document.Reply.ACCEPTED
        ).values_list("city_id", flat=True)
    )
    return bool(cities) and cities <= accepted
