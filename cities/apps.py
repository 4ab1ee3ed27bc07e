from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Sister cities")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import ALL_ROLES

        register(
            NavItem(
                key="city-candidates",
                label=_("Candidate cities"),
                url_name="cities:candidates",
                roles=ALL_ROLES,
                order=15,
                description=_(
                    "Sister cities with an economic tie that are active with BMA, and the "
                    "inquiry letters of the year."
                ),
            )
        )

        # Where the audit trail links each record of this app (core.audit_log).
        from core.audit_log import page_by, register_object_page

        register_object_page(
            "cities.inquiryletter", page_by("cities:letters-year", "fiscal_year", "fiscal_year")
        )
