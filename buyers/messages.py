"""The leads' messages: the vendor hears of a request at once (Thai), the buyer gets a
confirmation in their own language. The outbox stores only ids; the text is made when it
goes out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template

from .models_leads import Lead
from .services_leads import BUYER_TEMPLATE, VENDOR_TEMPLATE


def _lead(message) -> Lead:
    lead = (
        Lead.objects.select_related("vendor", "product", "city")
        .filter(pk=message.context.get("lead_id"))
        .first()
    )
    if lead is None:
        raise SkipMessage("gone")
    return lead


def _product(lead: Lead) -> str:
    if lead.product is None:
        return _("your products")
    return lead.product.name_th


def _vendor_message(message) -> Rendered:
    lead = _lead(message)
    reach = " · ".join(
        x
        for x in [lead.email, lead.phone, f"{lead.get_messenger_display()} {lead.messenger_handle}"]
        if x.strip()
    )
    text = _(
        "BB Portal: a buyer from %(city)s asks to be contacted about %(product)s. "
        "%(name)s, %(company)s (%(country)s): %(reach)s. Interested in: %(interest)s. "
        "The Social Development Office will follow up with you."
    ) % {
        "city": lead.city.name_th,
        "product": _product(lead),
        "name": lead.name,
        "company": lead.company,
        "country": lead.country,
        "reach": reach,
        "interest": lead.interest[:500],
    }
    return Rendered(subject=_("A buyer asks to be contacted"), text=text, line_text=text)


def _buyer_message(message) -> Rendered:
    lead = _lead(message)
    vendor = lead.vendor.business_name_en or lead.vendor.business_name_th
    text = _(
        "Dear %(name)s, thank you for your interest in %(vendor)s. We have received your "
        "request and the vendor will contact you soon, with the help of the Bangkok "
        "Metropolitan Administration."
    ) % {"name": lead.name, "vendor": vendor}
    return Rendered(subject=_("Your request was received"), text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            VENDOR_TEMPLATE,
            _vendor_message,
            probe="A buyer asks to be contacted",
            description="A buyer's contact request, to the vendor",
        )
    )
    register_template(
        MessageTemplate(
            BUYER_TEMPLATE,
            _buyer_message,
            probe="Your request was received",
            description="Confirmation of a contact request, to the buyer",
        )
    )
