"""Who may do what with the year plan and the sessions (checked in views and services).

FAO runs everything; SEO runs the Teams meetings and the connection tests; SDO and the
executives read. A work plan step is ticked off by its responsible office (FAO may tick
any step, and those of BMA as a whole and of the city, whom FAO coordinates).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from core.roles import ALL_ROLES, Role, has_role, roles_of

PLANNERS = frozenset({Role.FAO})
RUNNERS = frozenset({Role.FAO, Role.SEO})
READERS = ALL_ROLES
# The offices that own work-plan steps; executives only read the plan.
STEP_OFFICES = frozenset({Role.FAO, Role.SDO, Role.SEO})

# Which roles may tick a step whose responsible office is the key.
OFFICE_ROLES = {
    "fao": frozenset({Role.FAO}),
    "sdo": frozenset({Role.SDO, Role.FAO}),
    "seo": frozenset({Role.SEO, Role.FAO}),
    "bma": frozenset({Role.FAO, Role.SEO}),
    "city": frozenset({Role.FAO}),
}


def can_plan(user) -> bool:
    return has_role(user, PLANNERS)


def can_run(user) -> bool:
    return has_role(user, RUNNERS)


def can_tick_step(user: AbstractBaseUser | AnonymousUser, offices: list[str]) -> bool:
    roles = roles_of(user)
    return any(roles & OFFICE_ROLES.get(office, frozenset()) for office in offices)


def can_see_join_link(user, session) -> bool:
    """The Teams join link admits anyone who has it: only those who run the meeting and
    the session's own participants see it. Reads `session.bma_participants.all()`, so a
    prefetched list costs no query."""
    if not user.is_authenticated:
        return False
    if can_run(user):
        return True
    return any(p.user_id == user.pk for p in session.bma_participants.all())
