from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin, with the portal's date inputs for every date and date-time column
    of every ModelAdmin and inline (ours, Django's and third parties'): a year is typed
    BE or CE and shown as the reader counts it. Installed as Django's defaults before the
    admin modules are discovered, so that no ModelAdmin can miss them."""

    def ready(self) -> None:
        from django.contrib.admin import options

        from .forms import ADMIN_DATE_FORMFIELDS

        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.update(ADMIN_DATE_FORMFIELDS)
        super().ready()
