from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Programme years and sessions")

    def ready(self) -> None:
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
        from . import pack_messages

        pack_messages.register()
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
