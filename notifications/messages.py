"""The notifications app's own message: the confirmation a vendor gets once linked."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import OutboxMessage
from .rendering import MessageTemplate, Rendered, SkipMessage, register_template


def _line_linked(message: OutboxMessage) -> Rendered:
    from vendors.models import Vendor

    vendor = Vendor.objects.filter(pk=message.context.get("vendor_id")).first()
    if vendor is None:
        raise SkipMessage("gone")
    text = _(
        "BB Portal: %(vendor)s is now linked. Invitations and requests from the Bangkok "
        "Brand programme will come here."
    ) % {"vendor": vendor.business_name_th}
    return Rendered(subject=_("LINE linked"), text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            "notifications.line_linked",
            _line_linked,
            probe="LINE linked",
            description="Confirmation after the vendor linked LINE",
        )
    )
