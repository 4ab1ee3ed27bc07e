"""Every write to a programme record carries the user who made it.

django-simple-history keeps the rows; services name the acting user explicitly rather
than rely on the request (tasks and management commands have none).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

# What django-simple-history reads off the instance it records (its documented way).
_HISTORY_USER, _CHANGE_REASON = "_history_user", "_change_reason"


def save_audited(
    instance: models.Model,
    *,
    acting_user: AbstractBaseUser | None,
    reason: str = "",
    update_fields: list[str] | None = None,
) -> None:
    setattr(instance, _HISTORY_USER, acting_user)
    if reason:
        setattr(instance, _CHANGE_REASON, reason)
    instance.save(update_fields=update_fields)


def delete_audited(
    instance: models.Model, *, acting_user: AbstractBaseUser | None, reason: str = ""
) -> None:
    setattr(instance, _HISTORY_USER, acting_user)
    if reason:
        setattr(instance, _CHANGE_REASON, reason)
    instance.delete()
