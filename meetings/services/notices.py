"""Invitation and reminder e-mails: each in the recipient's language, with the time in
the recipient's own city (Bangkok for BMA staff, the sister city's zone for its people)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.mail import mail_address
from core.queue import enqueue_on_commit

from ..localtime import format_span_in_zone
from ..models import ParticipantNotice, Session, TeamsMeeting
from ..selectors import Recipient, meeting_of, session_recipients
from .teams import ORGANISER_ZONE

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A SENDING row whose run stored no outcome after this long was left by a worker that died.
SEND_LEASE = dt.timedelta(minutes=10)
REMINDER_BEFORE = dt.timedelta(hours=24)

Kind = ParticipantNotice.Kind
NoticeStatus = ParticipantNotice.Status


def _enqueue(notice: ParticipantNotice) -> None:
    from ..tasks import send_participant_notice

    enqueue_on_commit(send_participant_notice, notice.pk)


def notices_pending(*, now: dt.datetime | None = None) -> list[tuple]:
    """For core.queue's sweeper: e-mails recorded but still waiting after a while."""
    from ..tasks import send_participant_notice

    now = now or timezone.now()
    stale = ParticipantNotice.objects.filter(
        Q(status=NoticeStatus.PENDING, created_at__lte=now - dt.timedelta(minutes=10))
        | Q(status=NoticeStatus.SENDING, claimed_at__lte=now - SEND_LEASE),
        created_at__gte=now - dt.timedelta(days=2),
    )
    return [(send_participant_notice, (pk,)) for pk in stale.values_list("pk", flat=True)]


def _queue(
    session: Session, recipients: list[Recipient], kind: str, acting_user
) -> list[ParticipantNotice]:
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
def session_send_invitations(
    *, session_id: int, acting_user: AbstractBaseUser
) -> list[ParticipantNotice]:
    """Invite every participant who was not yet invited for the session's current time."""
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.is_closed:
        raise ValidationError(_("Invitations go out only for a session still to come."))
    if not session.starts_at or session.starts_at <= timezone.now():
        raise ValidationError(_("Set a future date and time of the session first."))
    recipients = session_recipients(session)
    if not recipients:
        raise ValidationError(_("No participant has an e-mail address yet."))
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
    return created


def render_notice(notice: ParticipantNotice, session: Session) -> tuple[str, str, str]:
    """Subject, text and HTML of the e-mail, in the recipient's language and time zone."""
    meeting = meeting_of(session, TeamsMeeting.Purpose.SESSION)
    if meeting and meeting.state != TeamsMeeting.State.ACTIVE:
        meeting = None
    test = None
    if session.connection_test_starts_at and session.connection_test_ends_at:
        test = (session.connection_test_starts_at, session.connection_test_ends_at)
    with translation.override(notice.language):
        # Sorted here rather than in SQL, so notice_send's prefetched cities are used.
        cities = ", ".join(c.name for c in sorted(session.cities.all(), key=lambda c: c.name_en))
        context = {
            "notice": notice,
            "session": session,
            "cities": cities,
            "when_local": format_span_in_zone(
                session.starts_at, session.ends_at, notice.time_zone, notice.language
            ),
            "when_bangkok": format_span_in_zone(
                session.starts_at, session.ends_at, ORGANISER_ZONE, notice.language
            ),
            "is_bangkok": notice.time_zone == ORGANISER_ZONE,
            "test_local": format_span_in_zone(*test, notice.time_zone, notice.language)
            if test
            else "",
            "agenda": list(session.agenda.all()),
            "join_url": meeting.join_url if meeting else "",
            "join_is_local": bool(meeting and meeting.is_local),
            "page_url": settings.PORTAL_SITE_URL.rstrip("/")
            + reverse("meetings:session-detail", args=[session.pk]),
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


def notice_send(*, notice_id: int, claimant: str = "") -> float | None:
    """Send one e-mail. Returns the seconds to wait before a retry, or None when done.

    Claims the row (SENDING) and commits, talks to SMTP with no transaction or row lock
    held, then stores the outcome. `claimant` is the task's id: the same task delivered
    again (its worker died) takes its claim over; the sweeper does after SEND_LEASE."""
    token = claimant or uuid.uuid4().hex
    with transaction.atomic():
        notice = (
            ParticipantNotice.objects.select_for_update(of=("self",)).filter(pk=notice_id).first()
        )
        if notice is None or not _claimable(notice, token):
            return None
        session = (
            Session.objects.select_related("year")
            .prefetch_related("agenda", "teams_meetings", "cities")
            .get(pk=notice.session_id)
        )
        if session.is_cancelled:
            notice.status = NoticeStatus.FAILED
            _set_error(notice, "session_cancelled")
            notice.save(update_fields=["status", "last_error", "error"])
            return None
        notice.attempts += 1
        notice.status = NoticeStatus.SENDING
        notice.claimed_at, notice.claimed_by = timezone.now(), token
        notice.save(update_fields=["attempts", "status", "claimed_at", "claimed_by"])
    return _send_claimed(notice, session)


def _set_error(notice: ParticipantNotice, error_id: str, **params) -> None:
    """Stored as an id and its parameters, rendered in the reader's language; the SMTP
    server's own text stays as it came. `last_error` keeps the English, for the logs."""
    notice.error = {"id": error_id, "params": params}
    if error_id == "send_failed":
        notice.last_error = params["error"]  # the server's words, as the logs show them
    else:
        with translation.override("en"):
            notice.last_error = notice.error_message


def _claimable(notice: ParticipantNotice, token: str) -> bool:
    if notice.status == NoticeStatus.SENDING:
        return notice.claimed_by == token or (
            notice.claimed_at is not None and notice.claimed_at <= timezone.now() - SEND_LEASE
        )
    return notice.status == NoticeStatus.PENDING


def _send_claimed(notice: ParticipantNotice, session: Session) -> float | None:
    from ..calendars import build_calendar

    # The send itself, outside any transaction.
    try:
        subject, text, html = render_notice(notice, session)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail_address(notice.recipient_email, notice.recipient_name)],
        )
        message.attach_alternative(html, "text/html")
        # The participant may see the join link: it is their meeting.
        message.attach(
            f"session-{session.number}.ics",
            build_calendar([session], str(session), lambda _session: True),
            "text/calendar",
        )
        message.send()
    except Exception as exc:  # SMTP and network errors: retry later, then give up
        logger.warning("E-mail %s (participant notice) failed: %s", notice.pk, exc)
        with transaction.atomic():
            if not _still_ours(notice):
                return None
            _set_error(notice, "send_failed", error=str(exc)[:2000])
            if notice.attempts >= MAX_ATTEMPTS:
                notice.status = NoticeStatus.FAILED
                notice.save(update_fields=["attempts", "last_error", "error", "status"])
                return None
            notice.status = NoticeStatus.PENDING
            notice.save(update_fields=["attempts", "last_error", "error", "status"])
        return float(60 * 2 ** (notice.attempts - 1))
    with transaction.atomic():
        if not _still_ours(notice):
            return None
        notice.status = NoticeStatus.SENT
        notice.sent_at = timezone.now()
        notice.last_error, notice.error = "", {}
        notice.save(update_fields=["attempts", "status", "sent_at", "last_error", "error"])
    return None


def _still_ours(notice: ParticipantNotice) -> bool:
    """Lock the row again to store the outcome, unless another run took it over."""
    current = ParticipantNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    return current.status == NoticeStatus.SENDING and current.claimed_by == notice.claimed_by
