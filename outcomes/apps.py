from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Outcomes and KPI")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.queue import register_sweeper

        from .links import vendor_link_emails_pending
        from .reminders import reminder_notices_pending
        from .services import recompute_requests_pending

        register_sweeper("outcomes.vendor_link_email", vendor_link_emails_pending)
        register_sweeper("outcomes.reminder", reminder_notices_pending)
        register_sweeper("outcomes.recompute", recompute_requests_pending)

        from core.retention import SourceFiles, register_source_files

        from .models import OutcomeUpload

        upload = OutcomeUpload.Status
        register_source_files(
            SourceFiles(
                OutcomeUpload,
                running=frozenset(),
                waiting=frozenset({upload.READY}),
                failed=upload.FAILED,
            )
        )
        from .lines_export import LINES_EXPORTS

        register_sweeper("outcomes.lines_exports", LINES_EXPORTS.pending)
        # The lines name vendors, their counterparts and the vendors' notes.
        register_source_files(LINES_EXPORTS.source_files())

        from . import reminders, staff_messages, todo, vendor_messages

        vendor_messages.register()
        reminders.register()
        staff_messages.register()
        todo.register_sources()

        from core.navigation import NavItem, register
        from core.roles import Role

        register(
            NavItem(
                key="outcomes",
                label=_("Outcomes"),
                url_name="outcomes:submission-list",
                roles=frozenset({Role.FAO, Role.SDO, Role.EXECUTIVE}),
                order=40,
                description=_("Six-monthly contacts and orders of each vendor: enter, review."),
            )
        )
        register(
            NavItem(
                key="dashboard",
                label=_("KPI dashboard"),
                url_name="outcomes:dashboard",
                roles=frozenset({Role.FAO, Role.EXECUTIVE}),
                order=45,
                description=_("The KPI against its target, outputs, contacts and orders."),
            )
        )
        register(
            NavItem(
                key="outcome-statistics",
                label=_("Statistics"),
                url_name="outcomes:statistics",
                roles=frozenset({Role.FAO, Role.SDO, Role.EXECUTIVE}),
                order=46,
                description=_("Products contacted and ordered by sister city, category, period."),
            )
        )

        # Where the audit trail links each record of this app (core.audit_log).
        from core.audit_log import page_by, register_object_page

        register_object_page(
            "outcomes.submission", page_by("outcomes:submission-detail", "pk", "id")
        )
        register_object_page(
            "outcomes.contact", page_by("outcomes:submission-detail", "pk", "submission_id")
        )
        register_object_page(
            "outcomes.orderline", page_by("outcomes:submission-detail", "pk", "submission_id")
        )
