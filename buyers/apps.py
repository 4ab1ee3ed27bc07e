from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        self._ready_leads()

    def _ready_leads(self) -> None:
        from core.badges import register_badges
        from core.navigation import NavItem, register
        from core.roles import Role
        from outcomes.kpi import register_contact_source

        from . import messages, todo
        from .kpi import confirmed_lead_contacts
        from .models_leads import Lead

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
