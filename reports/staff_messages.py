"""The executives hear when a session report is delivered to them (issue #16 item 10),
through the outbox, in each one's language, with the link to the report."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role
from core.thai import format_date
from notifications.rendering import MessageTemplate, Rendered, SkipMessage, register_template
from notifications.staff import portal_url, staff_notify

from .models import ReportGeneration

DELIVERED = "reports.delivered"


def report_delivered_notify(*, generation: ReportGeneration, acting_user) -> None:
    staff_notify(
        role=Role.EXECUTIVE,
        template=DELIVERED,
        context={"generation_id": generation.pk},
        event_key=str(generation.pk),
        acting_user=acting_user,
    )


def _render_delivered(message) -> Rendered:
    generation = (
        ReportGeneration.objects.select_related("session__year", "delivered_by")
        .filter(pk=message.context.get("generation_id"), delivered_at__isnull=False)
        .first()
    )
    if generation is None or generation.session is None or generation.delivered_at is None:
        raise SkipMessage("gone")
    by = generation.delivered_by
    subject = _("BB Portal: the report of %(session)s is delivered to you") % {
        "session": generation.session
    }
    lines = [
        subject,
        _("%(name)s of the Foreign Affairs Office delivered it on %(date)s.")
        % {
            "name": (by.get_full_name() or by.get_username()) if by else _("someone"),
            "date": format_date(generation.delivered_at, "DATE_FORMAT", language=message.language),
        },
        _("Read it and download the PDF:"),
        portal_url(reverse("reports:session", args=[generation.session_id])),
    ]
    text = "\n".join(lines)
    return Rendered(subject=subject, text=text, line_text=text)


def register() -> None:
    register_template(
        MessageTemplate(
            DELIVERED,
            _render_delivered,
            probe="Read it and download the PDF:",
            description="Executives: a session report was delivered",
        )
    )
