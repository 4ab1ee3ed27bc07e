from typing import Any

from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

_PATCHED = "_refuses_overflow"


class PortalAdminConfig(AdminConfig):
    """Django's admin, with the portal's date inputs for every date and date-time column
    of every ModelAdmin and inline (ours, Django's and third parties'): a year is typed
    BE or CE and shown as the reader counts it. Installed as Django's defaults before the
    admin modules are discovered, so that no ModelAdmin can miss them.

    Also: a date-hierarchy year too large for a date (`?created_at__year=2147483648`)
    raises OverflowError inside Django's ChangeList, which only expects ValueError; it is
    turned into the bad-filter answer every other malformed filter gets."""

    def ready(self) -> None:
        from django.contrib.admin import options

        from .forms import ADMIN_DATE_FORMFIELDS

        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.update(ADMIN_DATE_FORMFIELDS)
        _refuse_overflowing_filters()
        super().ready()


def _refuse_overflowing_filters() -> None:
    from django.contrib.admin.options import IncorrectLookupParameters
    from django.contrib.admin.views.main import ChangeList

    if getattr(ChangeList, _PATCHED, False):
        return
    get_filters = ChangeList.get_filters

    def guarded(self: ChangeList, request: HttpRequest) -> Any:
        try:
            return get_filters(self, request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    ChangeList.get_filters = guarded  # type: ignore[method-assign]  # the patch is the point
    setattr(ChangeList, _PATCHED, True)
