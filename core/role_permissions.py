"""What each role may do, as Django model permissions on its group.

Kept in sync by a data migration and after every `migrate` (post_migrate), so a model
added by a later release gets its permissions without another hand-written migration.
An entry is `app_label` (every model of the app) or `app_label.model`; the more specific
entry wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .roles import GROUP_NAMES, Role

if TYPE_CHECKING:
    from django.apps.registry import Apps

ALL = frozenset({"add", "change", "delete", "view"})
EDIT = frozenset({"add", "change", "view"})
VIEW = frozenset({"view"})
NONE: frozenset[str] = frozenset()

PROGRAMME_APPS = ("cities", "vendors", "meetings", "outcomes", "reports", "documents")

ROLE_PERMISSIONS: dict[Role, dict[str, frozenset[str]]] = {
    Role.FAO: {
        **dict.fromkeys(PROGRAMME_APPS, ALL),
        "core.workerping": VIEW,
        # The outbox is written by the portal only; FAO reads it and retries from it.
        "notifications": VIEW,
        # Showcase links are turned on and revoked on FAO's pages (audited), never by hand.
        "buyers": VIEW,
        # The showcase's product texts in Korean, Japanese and Chinese (issue #17); a
        # wrong one is removed, as on the product page.
        "vendors.producttranslation": ALL,
        # Reference data is loaded by migrations; FAO may correct it, not delete it.
        "vendors.productcategory": EDIT,
        "vendors.district": EDIT,
        "vendors.language": EDIT,
        "cities.cooperationfield": EDIT,
    },
    Role.SDO: {
        "vendors": EDIT,
        # The showcase's product texts in Korean, Japanese and Chinese (issue #17).
        "vendors.producttranslation": ALL,
        "vendors.productphoto": ALL,
        "vendors.productcategory": VIEW,
        "vendors.district": VIEW,
        "vendors.language": VIEW,
        "cities": VIEW,
        "meetings": VIEW,
        "meetings.shortlistentry": ALL,
        "outcomes": EDIT,
        # FAO sets the reporting periods' due and lock dates; SDO works within them.
        "outcomes.reportingperiod": VIEW,
        "reports": NONE,
        "notifications.linelink": VIEW,
    },
    Role.SEO: {
        "cities": VIEW,
        "vendors": VIEW,
        "meetings": EDIT,
        "meetings.programmeyear": VIEW,
        "meetings.shortlistentry": VIEW,
    },
    Role.EXECUTIVE: {
        **dict.fromkeys(PROGRAMME_APPS, VIEW),
    },
}


def permitted_actions(role: Role, app_label: str, model: str) -> frozenset[str]:
    spec = ROLE_PERMISSIONS[role]
    key = f"{app_label}.{model}"
    if key in spec:
        return spec[key]
    return spec.get(app_label, NONE)


def sync_role_groups(apps: Apps | None = None, using: str = "default") -> None:
    """Create the four groups and give each exactly the permissions of its role."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.using(using).select_related("content_type"))
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        wanted = []
        for permission in permissions:
            action, _, _model = permission.codename.partition("_")
            content_type = permission.content_type
            if action in permitted_actions(role, content_type.app_label, content_type.model):
                wanted.append(permission)
        group.permissions.set(wanted)
