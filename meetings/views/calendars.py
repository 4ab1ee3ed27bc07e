"""Calendar files. The year's feed also answers a personal signed link, because calendar
applications subscribe without a log-in; the link carries the user, whose role and
right to the join link are checked at every fetch."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from core.permissions import role_required
from core.roles import has_role
from core.view_helpers import get_or_404

from ..access import READERS
from ..calendars import calendar_for
from ..models import ProgrammeYear
from ..selectors import session_for_calendar, year_calendar_sessions

FEED_SALT = "meetings.year-feed"


def _password_mark(user) -> str:
    # Changes with the password, so a new password revokes every link given before.
    return salted_hmac(FEED_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def feed_token(user, fiscal_year: int) -> str:
    """Signed with a timestamp: the link expires after CALENDAR_FEED_MAX_AGE_DAYS."""
    return signing.dumps(
        {"u": user.pk, "y": fiscal_year, "p": _password_mark(user)}, salt=FEED_SALT
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*READERS)
@require_GET
def session_calendar_view(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_or_404(session_for_calendar, session_id)
    body = calendar_for([session], request.user, str(session))
    return _ics(body, f"bbportal-fy{session.year.fiscal_year}-session-{session.number}.ics")


def _feed_user(request: HttpRequest, fiscal_year: int):
    if request.user.is_authenticated:
        return request.user
    token = request.GET.get("token", "")
    try:
        data = signing.loads(
            token,
            salt=FEED_SALT,
            max_age=dt.timedelta(days=settings.CALENDAR_FEED_MAX_AGE_DAYS),
        )
    except signing.BadSignature as exc:
        raise PermissionDenied from exc
    if data.get("y") != fiscal_year:
        raise PermissionDenied
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("p") != _password_mark(user):
        raise PermissionDenied
    return user


@require_GET
def year_calendar_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    user = _feed_user(request, fiscal_year)
    if not has_role(user, READERS):
        raise PermissionDenied
    year = get_or_404(ProgrammeYear.objects.get, fiscal_year=fiscal_year)
    body = calendar_for(year_calendar_sessions(year), user, str(year.fiscal))
    return _ics(body, f"bbportal-fy{fiscal_year}.ics")


# A function attribute, read by the URL × role test matrix.
year_calendar_view.allowed_roles = READERS  # type: ignore[attr-defined]
