from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Executive reports")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.navigation import NavItem, register
        from core.queue import register_sweeper
        from core.roles import Role
        from meetings.panels import SessionPanel, register_session_panel

        from .selectors import carried_actions_for
        from .services import report_generations_pending

        def carried_actions(session):
            # The PDCA cycle made visible: what the last session's evaluation said to change.
            actions = carried_actions_for(session=session)
            return {"actions": actions} if session.number > 1 or actions else None

        register_session_panel(
            SessionPanel(
                key="reports.carried_actions",
                template_name="reports/includes/carried_actions.html",
                context=carried_actions,
            )
        )

        register_sweeper("reports.generation", report_generations_pending)

        from . import staff_messages, todo

        staff_messages.register()
        todo.register_sources()
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

        # Where the audit trail links each record of this app (core.audit_log).
        from core.audit_log import page_by, register_object_page

        register_object_page(
            "reports.sessionevaluation", page_by("reports:session", "session_id", "session_id")
        )
        register_object_page(
            "reports.reportgeneration", page_by("reports:session", "session_id", "session_id")
        )
