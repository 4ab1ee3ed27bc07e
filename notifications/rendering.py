"""Templates of outgoing messages, registered by the apps that send them.

An app registers a code with a function that turns an outbox row into text, called
inside translation.override(row.language). The outbox stores only the code and its
parameters; the text is made when the message goes out, so it is in the recipient's
language and shows the facts (date, join link) as they are at that moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import translation

from core.retry import RetryPolicy

if TYPE_CHECKING:
    from .models import OutboxMessage

# Languages a recipient may get beyond Thai and English, when the template has them.
EXTRA_LANGUAGES = ("ko", "ja", "zh-hans")
ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-hans": "zh-hans", "kr": "ko", "jp": "ja"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""
    # (filename, content, mimetype)
    attachments: tuple[tuple[str, str | bytes, str], ...] = ()
    line_text: str = ""  # LINE shows text only: shorter, the link last

    def line_messages(self) -> list[dict[str, Any]]:
        # LINE allows 5000 characters per text message.
        return [{"type": "text", "text": (self.line_text or self.text)[:5000]}]


class SkipMessage(Exception):
    """The message no longer makes sense (its session was cancelled): not sent. The
    argument is an error code of ERROR_TEXTS."""


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    render: Callable[..., Rendered]
    # A msgid the template's text uses: a language "has a translation" when its
    # catalogue translates it.
    probe: str = ""
    description: str = ""
    # None: notifications.services.retry_policy()'s default.
    policy: RetryPolicy | None = None
    # Called inside the outbox's transactions after every change of a row's status, for
    # the senders that keep their own record of a message (ParticipantNotice, ...).
    on_change: Callable[[OutboxMessage], None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_TEMPLATES: dict[str, MessageTemplate] = {}


def register_template(template: MessageTemplate) -> None:
    _TEMPLATES[template.code] = template


def get_template(code: str) -> MessageTemplate:
    return _TEMPLATES[code]


def registered_templates() -> dict[str, MessageTemplate]:
    return dict(_TEMPLATES)


def has_translation(language: str, probe: str) -> bool:
    """Whether the language's own catalogues translate `probe`. gettext() cannot tell:
    for a msgid a language lacks, Django falls back to LANGUAGE_CODE's (Thai) text."""
    if not probe:
        return False
    from django.utils.translation import trans_real

    # The merged catalogue Django keeps (not in the stubs); gettext() would fall back.
    catalog: dict[str, str] = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    return probe in catalog


def message_language(preferred: str | None, template_code: str) -> str:
    """Thai or English as asked; Korean, Japanese or Chinese when that is the recipient's
    working language and the template has a translation; otherwise English."""
    lang = (preferred or "").strip().lower().replace("_", "-")
    lang = ALIASES.get(lang, lang)
    if lang in ("th", "en"):
        return lang
    if lang in EXTRA_LANGUAGES:
        template = _TEMPLATES.get(template_code)
        if template is not None and has_translation(lang, template.probe):
            return lang
    return "en"


def render_message(message: OutboxMessage) -> Rendered:
    template = get_template(message.template)
    with translation.override(message.language):
        return template.render(message)
