from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import WorkerPing
from .queue import Dispatch, enqueue_on_commit


@transaction.atomic
def worker_ping_request(*, acting_user: AbstractBaseUser | None) -> tuple[WorkerPing, Dispatch]:
    from .tasks import answer_worker_ping

    ping = WorkerPing.objects.create(requested_by=acting_user)
    return ping, enqueue_on_commit(answer_worker_ping, ping.pk)


def worker_pings_pending() -> list[tuple]:
    """Pings recorded but unanswered for a while: announce them again (core.queue)."""
    from .tasks import answer_worker_ping

    now = timezone.now()
    stale = WorkerPing.objects.filter(
        answered_at__isnull=True,
        requested_at__lt=now - dt.timedelta(minutes=2),
        requested_at__gt=now - dt.timedelta(days=1),
    ).values_list("pk", flat=True)
    return [(answer_worker_ping, (pk,)) for pk in stale]


@transaction.atomic
def worker_ping_answer(*, ping_id: int, worker_hostname: str) -> WorkerPing | None:
    ping = WorkerPing.objects.select_for_update().filter(pk=ping_id).first()
    if ping is None:
        return None
    if ping.answered_at is None:  # a redelivered task answers once
        ping.answered_at = timezone.now()
        ping.worker_hostname = worker_hostname[:255]
        ping.save(update_fields=["answered_at", "worker_hostname"])
    return ping


@transaction.atomic
def user_sign_in_from_entra(*, identity) -> AbstractBaseUser:
    """The portal user of a Microsoft account, created on first sign-in.

    The user's roles follow their Entra groups at every sign-in, so removing someone from
    a group in Entra removes the role here. Raises NoPortalRole when no group maps.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .entra import NoPortalRole, roles_for_groups
    from .models import ExternalIdentity
    from .roles import GROUP_NAMES, Role

    roles = roles_for_groups(identity.group_ids)
    if not roles:
        raise NoPortalRole(identity.username)
    User = get_user_model()
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider="entra", tenant_id=identity.tenant_id, subject=identity.object_id)
        .first()
    )
    if link is None:
        user = User.objects.filter(username=identity.username).first()
        if user is None:
            user = User(username=identity.username)
            user.set_unusable_password()  # signs in through Microsoft only
        link = ExternalIdentity(
            user=user, provider="entra", tenant_id=identity.tenant_id, subject=identity.object_id
        )
    user = link.user
    first, _, last = identity.name.partition(" ")
    user.first_name, user.last_name = first[:150], last[:150]
    user.email = identity.email[:254]
    user.is_staff = bool(roles - {Role.EXECUTIVE})
    user.save()
    link.user = user
    link.last_sign_in_at = timezone.now()
    link.save()
    managed = Group.objects.filter(name__in=GROUP_NAMES.values())
    user.groups.remove(*managed.exclude(name__in=[GROUP_NAMES[r] for r in roles]))
    user.groups.add(*managed.filter(name__in=[GROUP_NAMES[r] for r in roles]))
    return user
