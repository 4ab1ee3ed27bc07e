from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from meetings.notice_links import register_notice_link
        from meetings.packs import register_pack_extra
        from meetings.panels import SessionPanel, register_session_panel

        from .notice_links import showcase_notice_link, showcase_pack_extra
        from .selectors import live_links_count

        register_notice_link("showcase", showcase_notice_link)
        register_pack_extra("showcase", showcase_pack_extra)

        from .selectors import visits_by_session_city
        from .selectors_leads import register_visit_source

        register_visit_source(visits_by_session_city)
        register_session_panel(
            SessionPanel(
                key="showcase",
                template_name="buyers/_session_panel.html",
                context=lambda session: {"session": session, "live": live_links_count(session)},
                order=120,
            )
        )
        self._ready_leads()

    def _ready_leads(self) -> None:
        from core.badges import register_badges
        from core.navigation import NavItem, register
        from core.queue import register_sweeper
        from core.roles import Role
        from outcomes.kpi import register_contact_source

        from . import messages, todo
        from .kpi import confirmed_lead_contacts
        from .meetings_leads import follow_up_meetings_pending
        from .models_leads import Lead

        register_sweeper("buyers.follow_up_meeting", follow_up_meetings_pending)
        messages.register()
        todo.register_sources()
        register_contact_source("buyers.leads", confirmed_lead_contacts)
        status = Lead.Status
        register_badges(
            "buyers.lead",
            {
                status.NEW: "primary",
                status.ORDERED: "success",
                status.CLOSED: "success",
                status.LOST: "secondary",
            },
        )
        check = Lead.Verification
        register_badges(
            "buyers.verification",
            {check.CONFIRMED: "success", check.REJECTED: "danger", check.PENDING: "warning"},
        )
        from .models_leads import FollowUpMeeting

        meeting = FollowUpMeeting.Status
        register_badges(
            "buyers.meeting",
            {meeting.CONFIRMED: "success", meeting.FAILED: "danger", meeting.REQUESTED: "warning"},
        )
        register(
            NavItem(
                key="leads",
                label=_("Leads"),
                url_name="buyers:lead-list",
                roles=frozenset({Role.FAO, Role.SDO}),
                order=48,
                description=_("Buyers' contact requests from the showcase: check, follow up."),
            )
        )
