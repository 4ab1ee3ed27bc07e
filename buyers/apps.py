from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from meetings.notice_links import register_notice_link

        from .notice_links import showcase_notice_link

        register_notice_link("showcase", showcase_notice_link)
