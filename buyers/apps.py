from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from meetings.notice_links import register_notice_link

        from meetings.packs import register_pack_extra

        from .notice_links import showcase_notice_link, showcase_pack_extra

        register_notice_link("showcase", showcase_notice_link)
        register_pack_extra("showcase", showcase_pack_extra)

        from meetings.panels import SessionPanel, register_session_panel

        from .selectors import live_links_count

        register_session_panel(
            SessionPanel(
                key="showcase",
                template_name="buyers/_session_panel.html",
                context=lambda session: {"session": session, "live": live_links_count(session)},
                order=120,
            )
        )
