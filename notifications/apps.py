from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Outgoing messages")

    def ready(self) -> None:
        from . import badges

        badges.register()
        from core.queue import register_sweeper

        from . import messages
        from .services import outbox_pending

        messages.register()

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
