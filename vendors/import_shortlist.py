"""Planning a session's shortlist from a vendor workbook (part of vendors.imports)."""

from __future__ import annotations

from django.utils import timezone

from core.spreadsheets import CREATE, DELETE, UNCHANGED, UPDATE, Change, PlanItem
from core.thai import format_date


def plan_shortlist(
    session, vendor_sheet, product_sheet, existing, in_file, products_of, issues, plan
) -> None:
    """The shortlist part of a vendor import: every vendor in the file, in file order."""
    from meetings.models import ShortlistEntry

    order: list[str] = []
    rows_of: dict[str, tuple] = {}
    for sheet in (vendor_sheet, product_sheet):
        if sheet is None:
            continue
        for row in sheet.valid_rows():
            key = row.values["certificate_number"].upper()
            if key not in rows_of:
                rows_of[key] = (sheet, row)
                order.append(key)
    session_day = session.starts_at.date() if session.starts_at else timezone.localdate()
    for key in order:
        vendor = in_file.get(key) or existing.get(key)
        sheet, row = rows_of[key]
        if vendor is None:
            continue
        if not vendor.is_active:
            sheet.cell_issue(issues, row, "certificate_number", "vendor_inactive_shortlist")
        elif vendor.certificate_expires_on and vendor.certificate_expires_on < session_day:
            issues.warning(
                "certificate_expired_shortlist",
                sheet=sheet.name,
                row=row.number,
                params={"date": format_date(vendor.certificate_expires_on)},
            )
    target = session.year.vendors_per_session
    if len(order) > target:
        issues.warning("shortlist_over_target", params={"count": len(order), "target": target})
    entries = {
        e.vendor_id: e
        for e in ShortlistEntry.objects.filter(session=session)
        .select_related("vendor")
        .prefetch_related("products")
    }
    wanted_vendor_ids = set()
    for position, key in enumerate(order, start=1):
        vendor = in_file.get(key) or existing.get(key)
        if vendor is None:
            continue
        products = products_of.get(key, [])
        label = f"{vendor.certificate_number} · {vendor.business_name_th}"
        plan.payload["shortlist"].append((vendor, products, position))
        entry = entries.get(vendor.pk) if vendor.pk else None
        if entry is None:
            plan.add(PlanItem(CREATE, "shortlist", label))
            continue
        wanted_vendor_ids.add(vendor.pk)
        changes = []
        old_names = sorted(p.name_th for p in entry.products.all())
        new_names = sorted(p.name_th for p in products)
        if old_names != new_names or any(p.pk is None for p in products):
            changes.append(
                Change(
                    "สินค้าที่นำเสนอ",
                    "Products presented",
                    ", ".join(old_names),
                    ", ".join(new_names),
                )
            )
        if entry.position != position:
            changes.append(
                Change("ลำดับการนำเสนอ", "Order of presentation", str(entry.position), str(position))
            )
        action = UPDATE if changes else UNCHANGED
        plan.add(PlanItem(action, "shortlist", label, changes=changes))
    removed = [e for vid, e in entries.items() if vid not in wanted_vendor_ids]
    for entry in removed:
        plan.add(
            PlanItem(
                DELETE,
                "shortlist",
                f"{entry.vendor.certificate_number} · {entry.vendor.business_name_th}",
            )
        )
