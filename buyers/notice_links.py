"""The showcase link in a city participant's invitation and reminder (meetings' hook)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.languages import PUBLIC_CODES
from meetings.notice_links import NoticeLink

from .selectors import showcase_link_for_city, showcase_url


def showcase_notice_link(session, recipient_email: str) -> NoticeLink | None:
    """The link of the recipient's city while it is live; BMA staff get none."""
    wanted = recipient_email.strip().lower()
    for participant in session.city_participants.select_related("city", "contact"):
        if participant.display_email.strip().lower() == wanted:
            link = showcase_link_for_city(session, participant.city)
            if link is None:
                return None
            return NoticeLink(
                label=_("Bangkok Brand products of this session (no account needed)"),
                url=showcase_url(link),
            )
    return None


def showcase_pack_extra(session, city, language: str) -> dict | None:
    """The showcase link in the city's coordination pack (meetings' pack hook), in the
    pack's language when the showcase speaks it; none while the link is not live."""
    link = showcase_link_for_city(session, city)
    if link is None:
        return None
    return {
        "label": _("Bangkok Brand products of this session (no account needed)"),
        "url": showcase_url(link, language if language in PUBLIC_CODES else None),
    }
