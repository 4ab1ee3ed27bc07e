"""Ask before an irreversible change (issue #16, item 3): one confirmation page for the portal.

A button that changes a state is a link to a page stating what follows and whether it can
be undone; the page's form acts. A page, not a JavaScript dialog: it works without
JavaScript, and a repeated POST changes things once (the one-time form token of every form).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise

from .view_helpers import run_service

T = TypeVar("T")


@dataclass(frozen=True)
class Confirmation:
    """What a button asks before it acts: the question, what follows, the button, what is
    said once it is done. The texts may be lazy: translated when shown, in the reader's
    language."""

    title: str | Promise
    consequence: str | Promise
    button: str | Promise
    success: str | Promise = ""
    danger: bool = False


def confirmation_page(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    back_url: str,
    form: Any = None,
    nav_template: str = "",
    subject: object = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page that asks: `form` for what the action needs besides a yes (a reason),
    `nav_template` the breadcrumb of the record's app (given `context`), `subject` the
    record named after the title."""
    return render(
        request,
        "core/confirm.html",
        {
            **(context or {}),
            "confirmation": confirmation,
            "back_url": back_url,
            "form": form,
            "nav_template": nav_template,
            "subject": subject,
        },
    )


def confirm_then(
    request: HttpRequest,
    confirmation: Confirmation,
    call: Callable[[], T],
    *,
    back_url: str,
    done_url: str,
    **page: Any,
) -> HttpResponse:
    """GET asks, POST acts through `run_service` (a refusal becomes its message) and goes
    to `done_url`."""
    if request.method == "POST":
        run_service(request, call, str(confirmation.success))
        return redirect(done_url)
    return confirmation_page(request, confirmation, back_url=back_url, **page)
