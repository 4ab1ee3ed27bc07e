from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from core.roles import Role

        register(
            NavItem(
                key="documents",
                label=_("Documents"),
                url_name="documents:index",
                roles=frozenset({Role.FAO, Role.EXECUTIVE}),
                order=55,
                description=_(
                    "The memos, the order and the letters of the programme, as Word and PDF, "
                    "with their numbers, signed copies and replies."
                ),
            )
        )
