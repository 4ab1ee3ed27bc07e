"""Links that apps built on meetings add to a participant's invitation and reminder.

The buyers app (issue #17) adds the city's showcase link while FAO has it on. It registers
a provider in its AppConfig.ready(), so that meetings never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# (session, recipient e-mail) -> (label, url) or None; called inside the notice's language.
Provider = Callable[[object, str], "NoticeLink | None"]


@dataclass(frozen=True)
class NoticeLink:
    label: str
    url: str


_PROVIDERS: dict[str, Provider] = {}


def register_notice_link(key: str, provider: Provider) -> None:
    _PROVIDERS[key] = provider


def notice_links(session, recipient_email: str) -> list[NoticeLink]:
    found = []
    for key in sorted(_PROVIDERS):
        link = _PROVIDERS[key](session, recipient_email)
        if link is not None:
            found.append(link)
    return found
