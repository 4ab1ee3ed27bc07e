"""Writes of the Microsoft clients: the portal user behind a Microsoft sign-in."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core.models import ExternalIdentity
from core.roles import GROUP_NAMES, Role

from .entra import EntraIdentity, NoPortalRole, roles_for_groups


@transaction.atomic
def user_sign_in_from_entra(*, identity: EntraIdentity) -> User:
    """The portal user of a Microsoft account, created on first sign-in.

    The user's roles follow their Entra groups at every sign-in, so removing someone from
    a group in Entra removes the role here. Raises NoPortalRole when no group maps.
    """
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
