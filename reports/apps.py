from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Executive reports")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.queue import register_sweeper
        from core.roles import Role

        from .services import report_generations_pending

        register_sweeper("reports.generation", report_generations_pending)
        register(
            NavItem(
                key="reports",
                label=_("Reports"),
                url_name="reports:index",
                roles=frozenset({Role.FAO, Role.EXECUTIVE}),
                order=60,
                description=_("Session reports and the annual report, as PDF in Thai or English."),
            )
        )
