"""Every write to a programme record carries the user who made it.

django-simple-history keeps the rows; services name the acting user explicitly rather
than rely on the request (tasks and management commands have none).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models


def save_audited(
    instance: models.Model,
    *,
    acting_user: AbstractBaseUser | None,
    reason: str = "",
    update_fields: list[str] | None = None,
) -> None:
    instance._history_user = acting_user
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=update_fields)


def delete_audited(
    instance: models.Model, *, acting_user: AbstractBaseUser | None, reason: str = ""
) -> None:
    instance._history_user = acting_user
    if reason:
        instance._change_reason = reason
    instance.delete()
