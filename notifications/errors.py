"""What the stored error codes mean, in the reader's language."""

from typing import Any

from django.utils.translation import gettext_lazy as _

ERROR_TEXTS = {
    "email_transient": _("The mail server did not take it: %(error)s"),
    "email_refused": _("The mail server refused the address: %(error)s"),
    "line_transient": _("LINE did not answer or was busy (HTTP %(status)s)."),
    "line_rejected": _(
        "LINE refused the message (HTTP %(status)s): the vendor may have blocked the account. "
        "Sent by e-mail instead where there is an address."
    ),
    "line_unauthorized": _("LINE refused the portal's access token (HTTP %(status)s)."),
    "line_failed": _("LINE refused the message (HTTP %(status)s): %(error)s"),
    "render_failed": _("The message could not be written: %(error)s"),
    "worker_lost": _("The worker stopped while sending; tried again."),
    "worker_lost_email": _(
        "The worker stopped while sending this e-mail: it may or may not have gone out."
    ),
    "session_cancelled": _("The session was cancelled before the message went out."),
    "gone": _("What the message was about no longer exists."),
    "not_waiting": _("It was no longer the recipient's turn when the message went out."),
    "erased": _("Personal data erased (PDPA)."),
}


def error_text(code: str, params: dict[str, Any] | None) -> str:
    if not code:
        return ""
    template = ERROR_TEXTS.get(code)
    if template is None:
        return code
    params = {"status": "–", "error": "", **(params or {})}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def error_detail(code: str, params: dict[str, Any] | None) -> str:
    """What an older sender's own record keeps as its last error: the channel's words
    where it gave some, else the code's text."""
    params = params or {}
    return str(params.get("error") or error_text(code, params))[:2000]
