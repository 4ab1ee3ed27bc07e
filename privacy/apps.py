from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal data under Thailand's PDPA: FAO finds one person in every app's rows,
    exports what the portal holds on them, and erases it. It reads every app, so it sits
    above them all; core keeps only the record of an erasure (core.PersonalDataErasure)."""

    name = "privacy"
    verbose_name = _("Personal data (PDPA)")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        register(
            NavItem(
                key="pdpa",
                label=_("Personal data (PDPA)"),
                url_name="privacy:pdpa",
                roles=frozenset({Role.FAO}),
                order=96,
                description=_("Export or erase what the portal holds on one person."),
            )
        )
