from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Outgoing messages")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.queue import register_sweeper

        from . import messages, staff
        from .services import outbox_pending

        messages.register()
        staff.register()

        from core.status_panels import StatusPanel, register_status_panel

        from .selectors import line_status, outbox_counts

        register_status_panel(
            StatusPanel(
                "notifications",
                "notifications/_status_panel.html",
                lambda: {"line": line_status(), "counts": outbox_counts()},
            )
        )
        register_sweeper("notifications.outbox", outbox_pending)

        from core.navigation import NavItem, register
        from core.roles import ALL_ROLES

        # Order 90 and above: in the user menu, beside "Change password".
        register(
            NavItem(
                key="notification-preferences",
                label=_("Notification settings"),
                url_name="notifications:preferences",
                roles=ALL_ROLES,
                order=98,
                description=_("How the portal tells you that something waits for you."),
            )
        )
