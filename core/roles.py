"""The portal's four roles, each a Django group with model permissions.

A role is checked in every view through `role_required` / `RoleRequiredMixin`; the
group's model permissions also govern what the admin shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    FAO = "fao"
    SDO = "sdo"
    SEO = "seo"
    EXECUTIVE = "executive"

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self]

    @property
    def label(self) -> str:
        return str(LABELS[self])


# Group names are stored in the database, so they stay in English; LABELS translate them.
GROUP_NAMES = {
    Role.FAO: "FAO staff",
    Role.SDO: "SDO staff",
    Role.SEO: "SEO staff",
    Role.EXECUTIVE: "Executives",
}
LABELS = {
    Role.FAO: _("Foreign Affairs Office staff"),
    Role.SDO: _("Social Development Office staff"),
    Role.SEO: _("Strategy and Evaluation Office staff"),
    Role.EXECUTIVE: _("Executive"),
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}

# Everyone who runs the programme; executives only read.
STAFF_ROLES = frozenset({Role.FAO, Role.SDO, Role.SEO})
ALL_ROLES = frozenset(Role)


_ROLES_CACHE = "_bb_roles"


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The roles of a user, cached on the user object for the request."""
    # Every signed-in user is an auth.User (AUTH_USER_MODEL is not swapped).
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, _ROLES_CACHE, None)
    if cached is not None:
        return cached
    return remember_roles(user, user.groups.values_list("name", flat=True))


def remember_roles(user: User, group_names: Iterable[str]) -> frozenset[Role]:
    """Keep the roles that `group_names` (the user's groups) give on the user object for
    the request: the sign-in backend reads the names with the user (core.auth_backends)."""
    if user.is_superuser:
        roles = frozenset(Role)
    else:
        roles = frozenset(ROLE_BY_GROUP[n] for n in group_names if n in ROLE_BY_GROUP)
    setattr(user, _ROLES_CACHE, roles)
    return roles


def has_role(user: AbstractBaseUser | AnonymousUser, allowed: Iterable[Role]) -> bool:
    return bool(roles_of(user) & frozenset(allowed))
