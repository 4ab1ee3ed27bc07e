from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Programme years and sessions")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.navigation import NavItem, register
        from core.queue import register_sweeper

        from .access import READERS
        from .services.notices import notices_pending
        from .services.teams import teams_requests_pending

        register_sweeper("meetings.teams_requests", teams_requests_pending)
        register_sweeper("meetings.notices", notices_pending)

        from . import vendor_messages
        from .services import notices

        vendor_messages.register()
        notices.register()

        from . import todo

        todo.register_sources()

        register(
            NavItem(
                key="meetings",
                label=_("Year plan"),
                url_name="meetings:year-list",
                roles=READERS,
                order=30,
                description=_(
                    "The fiscal year's sessions with sister cities, their Teams meetings and "
                    "the work plan."
                ),
            )
        )

        # Where the audit trail links each record of this app (core.audit_log).
        from core.audit_log import page_by, register_object_page

        register_object_page(
            "meetings.session",
            page_by("meetings:session-detail", "session_id", "id"),
            name=lambda record: _("Session %(number)s") % {"number": record.number},
        )
        register_object_page(
            "meetings.agendaitem", page_by("meetings:session-detail", "session_id", "session_id")
        )
        register_object_page(
            "meetings.bmaparticipant",
            page_by("meetings:session-detail", "session_id", "session_id"),
        )
        register_object_page(
            "meetings.cityparticipant",
            page_by("meetings:session-detail", "session_id", "session_id"),
        )
        register_object_page(
            "meetings.shortlistentry",
            page_by("meetings:session-detail", "session_id", "session_id"),
        )
        register_object_page(
            "meetings.workplanstep", page_by("meetings:session-detail", "session_id", "session_id")
        )
        from core.fiscal import FiscalYear

        register_object_page(
            "meetings.programmeyear",
            page_by("meetings:year-detail", "fiscal_year", "fiscal_year"),
            name=lambda record: str(FiscalYear(record.fiscal_year)),
        )
