"""The showcase's leads as buying contacts of the KPI (outcomes.kpi's rule, README "KPI"):
a lead counts once SDO has confirmed it is real, when its city took part in a held session
the vendor attended and it is dated on or after that session's day."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet

from .models_leads import Lead


def confirmed_lead_contacts() -> QuerySet[Lead]:
    return Lead.objects.filter(
        verification=Lead.Verification.CONFIRMED,
        vendor_id=OuterRef("vendor_id"),
        city__sessions=OuterRef("session_id"),
        received_on__gte=OuterRef("session_day"),
    )
