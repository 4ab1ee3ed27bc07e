"""Messages to portal staff when something becomes their turn, and their daily digest.

A staff message goes through the outbox like any other: one row per user, e-mail, in the
user's language, under an idempotency key naming the event and the user, written in the
transaction of the change. Each user chooses (StaffPreference) an e-mail each time, one
daily digest of their to-do list (core.todo), or nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import save_audited
from core.roles import Role
from core.thai import format_date
from core.todo import get_source, todo_for

from .models import Channel, OutboxMessage, RecipientKind, StaffPreference
from .rendering import MessageTemplate, Rendered, SkipMessage, register_template
from .services import Recipient, message_enqueue

DIGEST = "notifications.staff_digest"
Delivery = StaffPreference.Delivery


def portal_url(path: str) -> str:
    """An address of the portal that works from an e-mail."""
    return f"{settings.PORTAL_SITE_URL.rstrip('/')}{path}"


def staff_preference(user: User) -> StaffPreference:
    """The user's preference, or the default (an e-mail each time, in Thai) unsaved."""
    try:
        preference: StaffPreference = user.staff_preference
    except StaffPreference.DoesNotExist:
        return StaffPreference(user=user)
    return preference


@transaction.atomic
def staff_preference_update(
    *, user: User, delivery: str, language: str, acting_user: User
) -> StaffPreference:
    preference = staff_preference(user)
    preference.delivery = delivery
    preference.language = language
    save_audited(preference, acting_user=acting_user)
    return preference


def staff_users(role: Role) -> QuerySet[User]:
    """The active members of a role's group who have an e-mail address."""
    return (
        get_user_model()
        .objects.filter(groups__name=role.group_name, is_active=True)
        .exclude(email="")
        .select_related("staff_preference")
        .distinct()
        .order_by("pk")
    )


def staff_recipient(user: User) -> Recipient:
    return Recipient(
        RecipientKind.USER,
        user.pk,
        user.get_full_name() or user.get_username(),
        user.email,
        Channel.EMAIL,
        staff_preference(user).language,
    )


def staff_notify(
    *,
    role: Role,
    template: str,
    context: dict[str, Any],
    event_key: str,
    acting_user: User | None = None,
) -> list[OutboxMessage]:
    """Tell every member of `role` who asked for an e-mail each time. The one who acted
    is not told of their own act. `event_key` names the event (the same event twice
    sends nothing more)."""
    created = []
    for user in staff_users(role):
        if acting_user is not None and user.pk == acting_user.pk:
            continue
        if staff_preference(user).delivery != Delivery.IMMEDIATE:
            continue
        message, is_new = message_enqueue(
            recipient=staff_recipient(user),
            template=template,
            context=context,
            idempotency_key=f"{template}:{event_key}:user:{user.pk}",
            acting_user=acting_user,
        )
        if is_new:
            created.append(message)
    return created


# --- daily digest --------------------------------------------------------------------------


def digest_key(user_id: int, day: dt.date) -> str:
    return f"{DIGEST}:{user_id}:{day.isoformat()}"


def staff_digests_send(*, today: dt.date) -> int:
    """One digest per user who chose it and has something waiting, once per day (the key
    holds the user and the date). Returns how many were queued."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, staff_preference__delivery=Delivery.DAILY, groups__isnull=False
        )
        .exclude(email="")
        .select_related("staff_preference")
        .distinct()
        .order_by("pk")
    )
    queued = 0
    for user in users:
        counts = {item.key: item.count for item in todo_for(user) if item.count}
        if not counts:
            continue
        with transaction.atomic():
            _message, created = message_enqueue(
                recipient=staff_recipient(user),
                template=DIGEST,
                context={"day": today.isoformat(), "counts": counts},
                idempotency_key=digest_key(user.pk, today),
            )
        queued += created
    return queued


def _render_digest(message: OutboxMessage) -> Rendered:
    counts = message.context.get("counts") or {}
    try:
        day = dt.date.fromisoformat(message.context.get("day", ""))
    except ValueError as exc:
        raise SkipMessage("gone") from exc
    total = sum(int(n) for n in counts.values())
    subject = ngettext(
        "BB Portal: %(count)s item waits for you (%(date)s)",
        "BB Portal: %(count)s items wait for you (%(date)s)",
        total,
    ) % {"count": total, "date": format_date(day, "DATE_FORMAT", language=message.language)}
    lines = [subject, ""]
    for key, count in counts.items():
        source = get_source(key)
        if source is None:  # a source this deployment no longer has
            continue
        lines.append(f"- {source.label}: {count}")
        lines.append(f"  {portal_url(source.url())}")
    lines += ["", _("Your to-do list:"), portal_url("/")]
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            DIGEST,
            _render_digest,
            probe="Your to-do list:",
            description="A staff member's daily digest of their to-do list",
        )
    )
