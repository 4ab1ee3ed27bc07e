"""What a vendor presenting at a session gets, by LINE or e-mail (notifications outbox):
the invitation when staff send the session's invitations, and a reminder the day before.
Thai, short, the join link last."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.services import vendor_message_enqueue

from .localtime import format_span_in_zone
from .models import Session, ShortlistEntry, TeamsMeeting
from .selectors import meeting_of

INVITATION = "meetings.vendor_invitation"
REMINDER = "meetings.vendor_reminder"
BANGKOK = "Asia/Bangkok"


def _presenting(session: Session):
    return ShortlistEntry.objects.filter(session=session).select_related(
        "vendor", "vendor__line_link"
    )


def _queue(session: Session, template: str, acting_user) -> int:
    count = 0
    starts = session.starts_at.isoformat() if session.starts_at else ""
    for entry in _presenting(session):
        message = vendor_message_enqueue(
            vendor=entry.vendor,
            template=template,
            context={"session_id": session.pk, "vendor_id": entry.vendor_id},
            idempotency_key=f"{template}:{session.pk}:{entry.vendor_id}:{starts}",
            acting_user=acting_user,
        )
        count += message is not None
    return count


def vendor_invitations_queue(*, session: Session, acting_user) -> int:
    """Each presenting vendor's invitation, once per start time."""
    return _queue(session, INVITATION, acting_user)


def vendor_reminders_queue(*, session: Session) -> int:
    return _queue(session, REMINDER, None)


def _render(message, kind: str) -> Rendered:
    session = (
        Session.objects.prefetch_related("cities", "teams_meetings")
        .filter(pk=message.context.get("session_id"))
        .first()
    )
    if session is None:
        raise SkipMessage("gone")
    if session.is_cancelled:
        raise SkipMessage("session_cancelled")
    entry = (
        ShortlistEntry.objects.filter(session=session, vendor_id=message.context.get("vendor_id"))
        .prefetch_related("products")
        .first()
    )
    if entry is None:  # taken off the shortlist since
        raise SkipMessage("gone")
    meeting = meeting_of(session, TeamsMeeting.Purpose.SESSION)
    join_url = meeting.join_url if meeting and meeting.state == TeamsMeeting.State.ACTIVE else ""
    cities = ", ".join(c.name for c in sorted(session.cities.all(), key=lambda c: c.name_en))
    lang = message.language
    # Invitations and reminders are queued only for a session with its times.
    assert session.starts_at is not None and session.ends_at is not None
    when = format_span_in_zone(session.starts_at, session.ends_at, BANGKOK, lang)
    lines = [
        (_("BB Portal: Reminder, tomorrow") if kind == REMINDER else _("BB Portal: Invitation"))
        + " – "
        + _("Bangkok Brand × %(cities)s video conference") % {"cities": cities},
        _("When: %(when)s (Bangkok time)") % {"when": when},
    ]
    if session.connection_test_starts_at and session.connection_test_ends_at:
        test = format_span_in_zone(
            session.connection_test_starts_at, session.connection_test_ends_at, BANGKOK, lang
        )
        lines.append(_("Connection test: %(when)s") % {"when": test})
    products = ", ".join(p.name for p in entry.products.all())
    if products:
        lines.append(_("You present: %(products)s") % {"products": products})
    lines.append(
        _(
            "Prepare: samples and prices of your products, a quiet room, a camera and a "
            "steady internet connection. Join 15 minutes early."
        )
    )
    if join_url:
        lines.append(_("Join: %(url)s") % {"url": join_url})
    else:
        lines.append(_("The join link follows before the session."))
    text = "\n".join(lines)
    page = settings.PORTAL_SITE_URL.rstrip("/") + reverse(
        "meetings:session-detail", args=[session.pk]
    )
    return Rendered(subject=lines[0], text=text + "\n\n" + page, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(INVITATION, lambda m: _render(m, INVITATION), probe="BB Portal: Invitation")
    )
    register_template(
        MessageTemplate(
            REMINDER, lambda m: _render(m, REMINDER), probe="BB Portal: Reminder, tomorrow"
        )
    )
