from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .thai import install_buddhist_era_years

        install_buddhist_era_years()

        from . import lookups  # noqa: F401  (registers the integer `__in` lookup)
        from .role_permissions import sync_role_groups

        def resync(sender: object, using: str = "default", **kwargs: object) -> None:
            sync_role_groups(using=using)

        # Once per migrate run (dispatch_uid), after every app's permissions exist.
        post_migrate.connect(resync, dispatch_uid="core.sync_role_groups", weak=False)

        from .queue import register_sweeper
        from .services import worker_pings_pending

        register_sweeper("core.worker_ping", worker_pings_pending)

        from .audit_export import AUDIT_EXPORTS
        from .retention import register_source_files

        register_sweeper("core.audit_exports", AUDIT_EXPORTS.pending)
        # The audit trail's export names people and holds the values they changed.
        register_source_files(AUDIT_EXPORTS.source_files())

        from .navigation import NavItem, register
        from .roles import ALL_ROLES, STAFF_ROLES, Role

        register(
            NavItem(
                key="home",
                label=_("Home"),
                url_name="home",
                roles=ALL_ROLES,
                order=0,
                description=_("Your workspace."),
            )
        )
        register(
            NavItem(
                key="admin",
                label=_("Programme administration"),
                url_name="admin:index",
                roles=STAFF_ROLES,
                order=90,
                description=_("Cities, vendors, sessions and submissions in the admin."),
            )
        )
        register(
            NavItem(
                key="audit",
                label=_("Audit trail"),
                url_name="core:audit",
                roles=frozenset({Role.FAO}),
                order=94,
                description=_("Who changed which record, when, and what changed."),
            )
        )
        register(
            NavItem(
                key="system",
                label=_("System status"),
                url_name="core:system-status",
                roles=frozenset({Role.FAO}),
                order=95,
                description=_("Is the background worker answering?"),
            )
        )
