"""Reads of the buyers' app."""

from __future__ import annotations

import re

from django.utils import timezone

from .models import ShowcaseLink

# The alphabet of secrets.token_urlsafe: anything else is not a token, and is refused
# before it reaches the database (PostgreSQL rejects a NUL byte with an error).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def showcase_link_for_token(token: str) -> ShowcaseLink | None:
    """The live link a token opens (enabled, not revoked, not past its end date), or None."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return (
        ShowcaseLink.objects.live(today=timezone.localdate())
        .select_related("session", "city")
        .filter(token=token)
        .first()
    )
