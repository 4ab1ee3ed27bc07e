"""iCalendar files: one session (with its connection test), or the year's feed.

The Teams join link admits whoever has it, so it goes into a calendar only for a user
allowed to see it (meetings.access.can_see_join_link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .access import can_see_join_link
from .models import Session, TeamsMeeting
from .selectors import meeting_of
from .services.teams import meeting_subject

PRODID = "-//Bangkok Metropolitan Administration//BB Portal//EN"


def _host() -> str:
    return urlsplit(settings.PORTAL_SITE_URL).hostname or "bbportal.local"


def _event(session: Session, purpose: str, show_join: bool) -> Event | None:
    is_test = purpose == TeamsMeeting.Purpose.CONNECTION_TEST
    start = session.connection_test_starts_at if is_test else session.starts_at
    end = session.connection_test_ends_at if is_test else session.ends_at
    meeting = meeting_of(session, purpose)
    meeting_cancelled = meeting is not None and meeting.state in (
        TeamsMeeting.State.CANCEL_REQUESTED,
        TeamsMeeting.State.CANCELLED,
    )
    # meeting_cancelled implies a meeting; the repeated test is for the type checker.
    if (
        (not start or not end)
        and meeting is not None
        and meeting_cancelled
        and meeting.sent_starts_at
    ):
        # A cancelled connection test has no times any more; calendars still hold it and
        # must be told it is cancelled, at the times they know.
        start, end = meeting.sent_starts_at, meeting.sent_ends_at
    if not start or not end:
        return None
    event = Event()
    suffix = "-connection-test" if is_test else ""
    if meeting is not None and meeting.ical_uid and not meeting.is_local:
        # Graph's own UID: the .ics and Exchange's invitation are then one calendar entry.
        event.add("uid", meeting.ical_uid)
    else:
        event.add("uid", f"bbportal-session-{session.pk}{suffix}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", session.connection_test_sequence if is_test else session.sequence)
    event.add(
        "summary",
        meeting_subject(meeting or TeamsMeeting(session=session, purpose=purpose)),
    )
    cancelled = session.is_cancelled or meeting_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    lines = (
        [f"{item.position}. {item.title}" for item in session.agenda.all()] if not is_test else []
    )
    page = settings.PORTAL_SITE_URL.rstrip("/") + reverse(
        "meetings:session-detail", args=[session.pk]
    )
    lines.append(_("Session page: %(url)s") % {"url": page})
    if show_join and meeting and meeting.join_url and not cancelled:
        event.add("location", "Microsoft Teams")
        event.add("url", meeting.join_url)
        event.add("x-microsoft-skypeteamsmeetingurl", meeting.join_url)
        label = _("Join (local test link, no Microsoft tenant)") if meeting.is_local else _("Join")
        lines.append(f"{label}: {meeting.join_url}")
    event.add("description", "\n".join(lines))
    return event


def calendar_for(sessions: Iterable[Session], user, name: str) -> bytes:
    """The calendar of the sessions as `user` may see them. `sessions` must come with
    their cities, agenda, Teams meetings and BMA participants prefetched."""
    return build_calendar(
        sessions,
        name,
        lambda session: can_see_join_link(user, session),
    )


def build_calendar(
    sessions: Iterable[Session], name: str, show_join: Callable[[Session], bool]
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    events = []
    with translation.override(translation.get_language()):
        for session in sessions:
            visible = show_join(session)
            for purpose in (TeamsMeeting.Purpose.CONNECTION_TEST, TeamsMeeting.Purpose.SESSION):
                event = _event(session, purpose, visible)
                if event is not None:
                    events.append(event)
    # RFC 5546: a file of cancelled meetings only is a CANCEL; anything else publishes
    # (where a cancelled event still says STATUS:CANCELLED).
    everything_cancelled = bool(events) and all(str(e["status"]) == "CANCELLED" for e in events)
    calendar.add("method", "CANCEL" if everything_cancelled else "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
