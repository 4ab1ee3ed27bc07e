from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Outgoing messages")

    def ready(self) -> None:
        from core.queue import register_sweeper

        from . import messages
        from .services import outbox_pending

        messages.register()
        register_sweeper("notifications.outbox", outbox_pending)
