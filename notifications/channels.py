"""Channel backends: deliver one rendered message and say what became of it.

`email` goes through Django's e-mail backend; LINE through `line` (the Messaging API,
notifications.line_client) or `console` (the default: writes the message to the log, so
`make run` shows what a vendor would get). None of them touches the database: the
pipeline records the outcome, outside the network call.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid

from core.mail import mail_address, mail_addresses

from .line_client import LineClient, Outcome
from .rendering import Rendered

if TYPE_CHECKING:
    from .models import OutboxMessage

logger = logging.getLogger(__name__)


class Verdict:
    SENT = "sent"
    RETRY = "retry"  # transient: the retry policy decides when
    FAILED = "failed"  # permanent
    REJECTED = "rejected"  # permanent, and the recipient's address is no longer usable


@dataclass(frozen=True)
class Delivery:
    verdict: str
    channel_message_id: str = ""
    retry_after: float | None = None
    error_code: str = ""
    error_params: dict[str, Any] = field(default_factory=dict)


class EmailChannel:
    name = "email"

    def send(self, message: OutboxMessage, rendered: Rendered) -> Delivery:
        message_id = make_msgid(domain="bbportal")
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=_recipients(message),
            headers={"Message-ID": message_id},
        )
        if rendered.html:
            email.attach_alternative(rendered.html, "text/html")
        for filename, content, mimetype in rendered.attachments:
            email.attach(filename, content, mimetype)
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            return Delivery(Verdict.FAILED, error_code="email_refused", error_params=_err(exc))
        except Exception as exc:  # SMTP and network errors: worth another try
            logger.warning("E-mail %s failed: %s", message.pk, exc)
            return Delivery(Verdict.RETRY, error_code="email_transient", error_params=_err(exc))
        return Delivery(Verdict.SENT, channel_message_id=message_id)


class LineChannel:
    name = "line"

    def __init__(self, client: LineClient | None = None):
        self.client = client or LineClient.from_settings()

    def send(self, message: OutboxMessage, rendered: Rendered) -> Delivery:
        result = self.client.push(
            to=message.address,
            messages=rendered.line_messages(),
            retry_key=str(message.retry_key),
        )
        params = {"status": result.status, "error": result.error, "tries": result.tries}
        if result.delivered:
            ids = ",".join(result.message_ids) or result.request_id
            return Delivery(Verdict.SENT, channel_message_id=ids)
        if result.outcome is Outcome.TRANSIENT:
            return Delivery(
                Verdict.RETRY,
                retry_after=result.retry_after,
                error_code="line_transient",
                error_params=params,
            )
        if result.outcome is Outcome.REJECTED:
            return Delivery(Verdict.REJECTED, error_code="line_rejected", error_params=params)
        if result.outcome is Outcome.UNAUTHORIZED:
            return Delivery(Verdict.FAILED, error_code="line_unauthorized", error_params=params)
        return Delivery(Verdict.FAILED, error_code="line_failed", error_params=params)


class ConsoleLineChannel:
    name = "line"

    def send(self, message: OutboxMessage, rendered: Rendered) -> Delivery:
        logger.info(
            "LINE (console) to %s [%s]:\n%s",
            message.recipient_name or message.address,
            message.template,
            rendered.line_messages()[0]["text"],
        )
        return Delivery(Verdict.SENT, channel_message_id=f"console-{uuid.uuid4()}")


def line_enabled() -> bool:
    return settings.LINE_BACKEND in ("line", "console")


def channel_for(name: str) -> EmailChannel | LineChannel | ConsoleLineChannel:
    if name == "email":
        return EmailChannel()
    if settings.LINE_BACKEND == "line":
        return LineChannel()
    return ConsoleLineChannel()


def _recipients(message: OutboxMessage) -> list[str]:
    if message.recipient_kind == "group":
        return mail_addresses(message.address)
    return [mail_address(message.address, message.recipient_name)]


def _err(exc: Exception) -> dict[str, Any]:
    return {"error": f"{type(exc).__name__}: {exc}"[:500], "message": str(exc)[:500]}
