"""One-time form tokens: a state-changing form sent twice changes things once.

Every `{% csrf_token %}` of the portal and the admin also writes a hidden field with a
fresh random token (the `csrf_token` tag is replaced by `core.templatetags.form_once`,
a template builtin), so every POST form carries one without each template or view
remembering it. `OneTimeFormMiddleware` claims the token before the view runs, with a
unique row (`core.FormSubmission`), which holds against two simultaneous requests too:

- the first sending runs; if it leads somewhere (a redirect: the change was made, or
  refused with a message), the row keeps where, and a repeat is sent to the same place
  with a message that nothing was changed the second time;
- if it answers with a page and wrote nothing to the database (the form again, with its
  errors), the claim is released: a repeat is handled as new, and changes nothing either;
- if it answers with a page after writing (a page that shows what was made), a repeat
  goes back to the page the form was on;
- a repeat arriving while the first still runs waits for it (a double click), then goes
  where it went (or, if it takes too long, back to the form's page).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, connections, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

FIELD = "form_once"
KEPT = dt.timedelta(days=1)
POLL_SECONDS = 0.1


def new_token() -> str:
    return secrets.token_urlsafe(24)


# Bookkeeping every request may write (the session, the sign-in guard's log, the claims):
# not a change the form made.
BOOKKEEPING_TABLES = ("django_session", "core_formsubmission", "axes_")
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)


class _WriteCounter:
    """A database execute wrapper counting the statements that change a table."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        match = WRITE.match(sql)
        if match and not match.group(2).lower().startswith(BOOKKEEPING_TABLES):
            self.count += 1
        return execute(sql, params, many, context)


def _form_page(request: HttpRequest) -> str:
    """The page the form was sent from, when the browser said and it is ours."""
    referer: str = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("home")


class OneTimeFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or len(token) > 64:
            return self.get_response(request)
        from .models import FormSubmission

        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, path=request.path[:2000])
        except IntegrityError:
            return self._repeat(request, token)
        writes = _WriteCounter()
        with ExitStack() as stack:
            for connection in connections.all(initialized_only=True):
                stack.enter_context(connection.execute_wrapper(writes))
            response = self.get_response(request)
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            claim.location = response["Location"][:2000]
            claim.save(update_fields=["location"])
        elif writes.count:
            claim.location = _form_page(request)[:2000]
            claim.save(update_fields=["location"])
        else:
            claim.delete()
        if secrets.randbelow(100) == 0:
            FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
        return response

    def _repeat(self, request: HttpRequest, token: str) -> HttpResponse:
        from .models import FormSubmission

        deadline = time.monotonic() + settings.FORM_ONCE_WAIT_SECONDS
        while True:
            claim = FormSubmission.objects.filter(token=token).first()
            if claim is None:
                # The first sending showed the form again: nothing was changed, so this
                # one is handled as new.
                return self(request)
            if claim.location or time.monotonic() >= deadline:
                break
            time.sleep(POLL_SECONDS)
        messages.info(
            request, _("This form had already been sent: nothing was changed the second time.")
        )
        return HttpResponseRedirect(claim.location or _form_page(request))
