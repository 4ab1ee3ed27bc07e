"""Invitation and reminder e-mails: each in the recipient's language, with the time in
the recipient's own city (Bangkok for BMA staff, the sister city's zone for its people)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives  # noqa: F401  (tests patch its send)
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.retry import RetryPolicy
from notifications.errors import error_detail
from notifications.models import Channel, OutboxMessage, RecipientKind
from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.services import Recipient as OutboxRecipient
from notifications.services import (
    message_enqueue,
    outbox_deliver,
    outbox_send_now,
    without_message,
)

from ..localtime import format_span_in_zone
from ..models import ParticipantNotice, Session, TeamsMeeting
from ..models.notices import NOTICE_ERRORS
from ..notice_links import notice_links
from ..selectors import Recipient, meeting_of, session_recipients
from ..vendor_messages import vendor_reminders_queue
from .teams import ORGANISER_ZONE

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A SENDING row whose run stored no outcome after this long was left by a worker that died.
SEND_LEASE = dt.timedelta(minutes=10)
REMINDER_BEFORE = dt.timedelta(hours=24)

Kind = ParticipantNotice.Kind
NoticeStatus = ParticipantNotice.Status


PARTICIPANT_NOTICE = "meetings.participant_notice"
# As the notice's own task did: five tries, a minute's wait doubling each time.
NOTICE_POLICY = RetryPolicy(max_attempts=MAX_ATTEMPTS, base_seconds=60.0, jitter=0.0)


def _message_key(notice_id: int) -> str:
    return f"{PARTICIPANT_NOTICE}:{notice_id}"


def notice_message_ensure(notice: ParticipantNotice) -> OutboxMessage:
    """The notice's e-mail in the outbox (notifications), created and announced on commit
    the first time; each attempt shows on the notice too (`_mirror`)."""
    message, _created = message_enqueue(
        recipient=OutboxRecipient(
            RecipientKind.PARTICIPANT,
            None,
            notice.recipient_name,
            notice.recipient_email,
            Channel.EMAIL,
            notice.language,
        ),
        template=PARTICIPANT_NOTICE,
        context={"notice_id": notice.pk},
        idempotency_key=_message_key(notice.pk),
        acting_user=notice.requested_by,
    )
    return message


def _enqueue(notice: ParticipantNotice) -> None:
    notice_message_ensure(notice)


def notices_pending(*, now: dt.datetime | None = None) -> list[tuple]:
    """For core.queue's sweeper: notices recorded before the outbox took over and still
    waiting (the outbox's own sweep looks after the others)."""
    from ..tasks import send_participant_notice

    now = now or timezone.now()
    stale = ParticipantNotice.objects.filter(
        Q(status=NoticeStatus.PENDING, created_at__lte=now - dt.timedelta(minutes=10))
        | Q(status=NoticeStatus.SENDING, claimed_at__lte=now - SEND_LEASE),
        created_at__gte=now - dt.timedelta(days=2),
    ).values_list("pk", flat=True)
    keys = {pk: _message_key(pk) for pk in stale}
    return [(send_participant_notice, (pk,)) for pk in without_message(keys)]


def _queue(
    session: Session, recipients: list[Recipient], kind: str, acting_user
) -> list[ParticipantNotice]:
    # Both callers queue only for a session with a start time.
    assert session.starts_at is not None
    created = []
    for recipient in recipients:
        try:
            with transaction.atomic():
                notice = ParticipantNotice.objects.create(
                    session=session,
                    kind=kind,
                    recipient_name=recipient.name,
                    recipient_email=recipient.email,
                    language=recipient.language,
                    time_zone=recipient.time_zone,
                    session_starts_at=session.starts_at,
                    requested_by=acting_user,
                )
        except IntegrityError:  # this recipient already has it for this start time
            continue
        _enqueue(notice)
        created.append(notice)
    return created


@transaction.atomic
def session_send_invitations(*, session_id: int, acting_user: User) -> list[ParticipantNotice]:
    """Invite every participant who was not yet invited for the session's current time."""
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.is_closed:
        raise ValidationError(_("Invitations go out only for a session still to come."))
    if not session.starts_at or session.starts_at <= timezone.now():
        raise ValidationError(_("Set a future date and time of the session first."))
    recipients = session_recipients(session)
    if not recipients:
        raise ValidationError(_("No participant has an e-mail address yet."))
    from ..vendor_messages import vendor_invitations_queue

    vendor_invitations_queue(session=session, acting_user=acting_user)
    return _queue(session, recipients, Kind.INVITATION, acting_user)


def notices_queue_reminders(*, now: dt.datetime | None = None) -> list[ParticipantNotice]:
    """Reminders for the sessions that start within the next 24 hours (run periodically;
    the unique constraint makes a second run send nothing twice)."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
        status__in=[Session.Status.SCHEDULED, Session.Status.CONNECTION_TESTED],
    )
    created = []
    for session in sessions:
        with transaction.atomic():
            created += _queue(session, session_recipients(session), Kind.REMINDER, None)
            vendor_reminders_queue(session=session)
    return created


def render_notice(
    notice: ParticipantNotice, session: Session, language: str | None = None
) -> tuple[str, str, str]:
    """Subject, text and HTML of the e-mail, in the recipient's language (or `language`,
    the outbox's choice) and time zone."""
    language = language or notice.language
    meeting = meeting_of(session, TeamsMeeting.Purpose.SESSION)
    if meeting and meeting.state != TeamsMeeting.State.ACTIVE:
        meeting = None
    test = None
    if session.connection_test_starts_at and session.connection_test_ends_at:
        test = (session.connection_test_starts_at, session.connection_test_ends_at)
    # A notice is queued only for a session with its times (see _queue).
    assert session.starts_at is not None and session.ends_at is not None
    with translation.override(language):
        # Sorted here rather than in SQL, so notice_send's prefetched cities are used.
        cities = ", ".join(c.name for c in sorted(session.cities.all(), key=lambda c: c.name_en))
        context = {
            "notice": notice,
            "language": language,
            "session": session,
            "cities": cities,
            "when_local": format_span_in_zone(
                session.starts_at, session.ends_at, notice.time_zone, language
            ),
            "when_bangkok": format_span_in_zone(
                session.starts_at, session.ends_at, ORGANISER_ZONE, language
            ),
            "is_bangkok": notice.time_zone == ORGANISER_ZONE,
            "test_local": format_span_in_zone(*test, notice.time_zone, language) if test else "",
            "agenda": list(session.agenda.all()),
            "join_url": meeting.join_url if meeting else "",
            "join_is_local": bool(meeting and meeting.is_local),
            "page_url": settings.PORTAL_SITE_URL.rstrip("/")
            + reverse("meetings:session-detail", args=[session.pk]),
            # Such as the city's showcase of the session's products (buyers, issue #17).
            "extra_links": notice_links(session, notice.recipient_email),
        }
        if notice.kind == Kind.REMINDER:
            subject = _("Reminder: Bangkok Brand × %(cities)s, %(when)s") % {
                "cities": cities,
                "when": context["when_local"],
            }
        else:
            subject = _("Invitation: Bangkok Brand × %(cities)s, %(when)s") % {
                "cities": cities,
                "when": context["when_local"],
            }
        text = render_to_string("meetings/email/notice.txt", context)
        html = render_to_string("meetings/email/notice.html", context)
    return subject, text, html


def notice_send(*, notice_id: int) -> float | None:
    """Send one e-mail now, through the outbox. Returns the seconds to wait before a
    retry, or None when done."""
    notice = ParticipantNotice.objects.filter(pk=notice_id, status=NoticeStatus.PENDING).first()
    if notice is None:
        return None
    return outbox_send_now(message=notice_message_ensure(notice))


def notice_deliver(*, notice_id: int) -> float | None:
    """The task's way: the outbox sends it when due (its own retries, no double send)."""
    notice = ParticipantNotice.objects.filter(pk=notice_id, status=NoticeStatus.PENDING).first()
    if notice is None:
        return None
    return outbox_deliver(message_id=notice_message_ensure(notice).pk)


def _render(message) -> Rendered:
    from ..calendars import build_calendar

    notice = (
        ParticipantNotice.objects.select_related("session__year")
        .filter(pk=message.context.get("notice_id"))
        .first()
    )
    if notice is None:
        raise SkipMessage("gone")
    session = (
        Session.objects.select_related("year")
        .prefetch_related("agenda", "teams_meetings", "cities")
        .get(pk=notice.session_id)
    )
    if session.is_cancelled:
        raise SkipMessage("session_cancelled")
    # The outbox's language: the participant's own when the catalogues have the notice in
    # it, else English. Rendering a Korean notice without its catalogue would not give
    # English: gettext falls back to LANGUAGE_CODE, Thai.
    language = message.language
    subject, text, html = render_notice(notice, session, language)
    # The participant may see the join link: it is their meeting.
    with translation.override(language):
        ics = build_calendar([session], str(session), lambda _session: True)
    return Rendered(
        subject=subject,
        text=text,
        html=html,
        attachments=((f"session-{session.number}.ics", ics, "text/calendar"),),
    )


def _mirror(message: OutboxMessage) -> None:
    """The notice keeps showing the session page what happened, in its own terms."""
    Out = OutboxMessage.Status
    fields: dict = {"attempts": message.attempts}
    if message.status == Out.SENDING:
        fields.update(status=NoticeStatus.SENDING, claimed_at=message.claimed_at)
    elif message.status == Out.SENT:
        fields.update(status=NoticeStatus.SENT, sent_at=message.sent_at, last_error="")
    elif message.status == Out.CANCELLED:
        # Stored as a code: the page renders it in its reader's language (#13 defect 6).
        error = {"id": "session_cancelled", "params": {}}
        with translation.override("en"):
            cancelled = str(NOTICE_ERRORS["session_cancelled"])
        fields.update(status=NoticeStatus.FAILED, last_error=cancelled, error=error)
    elif message.status in (Out.FAILED, Out.UNCERTAIN):
        fields.update(status=NoticeStatus.FAILED, **_error_fields(message))
    elif message.status == Out.PENDING and message.last_error_code:
        fields.update(status=NoticeStatus.PENDING, **_error_fields(message))
    ParticipantNotice.objects.filter(pk=message.context.get("notice_id")).update(**fields)


def _error_fields(message: OutboxMessage) -> dict:
    """The channel's own words (e.g. the SMTP server's) stay as they came, under a code."""
    params = message.last_error_params or {}
    with translation.override("en"):
        text = str(params.get("message") or error_detail(message.last_error_code, params))[:2000]
    return {"last_error": text, "error": {"id": "send_failed", "params": {"error": text}}}


def register() -> None:
    register_template(
        MessageTemplate(
            PARTICIPANT_NOTICE,
            _render,
            # Korean, Japanese or Chinese when that language's catalogue has the notice.
            probe="Invitation: Bangkok Brand × %(cities)s, %(when)s",
            description="Invitation or reminder e-mail to a session participant",
            policy=NOTICE_POLICY,
            on_change=_mirror,
        )
    )
