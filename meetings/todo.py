"""Sessions and letters on the to-do list (core.todo): SEO tests the connection before a
session and records who attended after it; FAO chases the letters a city has not
answered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.roles import Role
from core.thai import short_date
from core.todo import TodoLink, TodoSource, register

from . import selectors

CONNECTION_TEST = "meetings.connection_test"
ATTENDANCE = "meetings.attendance"
LETTERS = "meetings.letters"


def _session_links(queryset, limit: int) -> list[TodoLink]:
    sessions = queryset.select_related("year").order_by("starts_at", "pk")[:limit]
    links = []
    for session in sessions:
        label = str(session)
        if session.starts_at:
            label = f"{label} · {short_date(session.starts_at)}"
        links.append(TodoLink(label, reverse("meetings:session-detail", args=[session.pk])))
    return links


def _letter_links(user, limit: int) -> list[TodoLink]:
    letters = (
        selectors.inquiry_letters_awaiting_reply()
        .select_related("city")
        .order_by("sent_on", "pk")[:limit]
    )
    return [
        TodoLink(
            _("%(city)s, sent %(date)s")
            % {"city": letter.city, "date": short_date(letter.sent_on)},
            reverse("meetings:letter-reply", args=[letter.pk]),
        )
        for letter in letters
    ]


def register_sources() -> None:
    register(
        TodoSource(
            key=CONNECTION_TEST,
            label=_lazy("Sessions that need a connection test"),
            roles=frozenset({Role.SEO}),
            queryset=lambda user: selectors.sessions_needing_connection_test(),
            url_name="meetings:year-list",
            order=30,
            entries=lambda user, limit: _session_links(
                selectors.sessions_needing_connection_test(), limit
            ),
        )
    )
    register(
        TodoSource(
            key=ATTENDANCE,
            label=_lazy("Sessions that need attendance recorded"),
            roles=frozenset({Role.SEO}),
            queryset=lambda user: selectors.sessions_needing_attendance(),
            url_name="meetings:year-list",
            order=35,
            entries=lambda user, limit: _session_links(
                selectors.sessions_needing_attendance(), limit
            ),
        )
    )
    register(
        TodoSource(
            key=LETTERS,
            label=_lazy("Inquiry letters awaiting a reply"),
            roles=frozenset({Role.FAO}),
            queryset=lambda user: selectors.inquiry_letters_awaiting_reply(),
            url_name="cities:letters",
            order=10,
            entries=_letter_links,
        )
    )
