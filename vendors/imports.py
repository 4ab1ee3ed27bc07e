"""The vendor workbook: the registry in bulk, and a session's shortlist.

One workbook, two sheets: vendors (matched by Bangkok Brand certificate number) and their
products (matched by certificate number and Thai product name, ignoring case). Imported
for a session, every vendor in the file becomes the session's shortlist, in file order,
presenting the products the file lists for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Change,
    Issues,
    ParsedWorkbook,
    Plan,
    PlanItem,
    SpreadsheetImport,
    WorkbookSchema,
    bulk,
    messages,
)
from core.thai import format_date

from .import_schema import build_schema
from .import_shortlist import plan_shortlist
from .models import District, Language, Product, ProductCategory, Vendor

messages.register(
    expiry_before_certified=_("The certificate expires before it was issued."),
    unknown_vendor=_(
        "No vendor has the certificate number “%(certificate)s”. Add the vendor to the "
        "vendors sheet or correct the number."
    ),
    vendor_inactive_shortlist=_("This vendor is marked inactive and cannot be shortlisted."),
    shortlist_over_target=_(
        "The file lists %(count)s vendors; the session is planned for %(target)s."
    ),
    certificate_expired_shortlist=_("The certificate expired on %(date)s, before the session."),
)


VENDOR_FIELDS = [
    "business_name_th",
    "business_name_en",
    "owner_name",
    "contact_person",
    "district",
    "certified_on",
    "certificate_expires_on",
    "phone",
    "email",
    "line_id",
    "website",
    "export_experience",
    "is_active",
]
PRODUCT_FIELDS = [
    "name_th",
    "name_en",
    "category",
    "description_th",
    "description_en",
    "price_thb",
    "unit",
    "min_order_quantity",
    "shelf_life_days",
    "other_certifications",
    "is_export_ready",
]
# Database column name for a field key (foreign keys are compared by id).
ATTNAMES = {"district": "district_id", "category": "category_id"}


def _shown(value: Any, names: dict[int, str] | None = None) -> str:
    if value is None:
        return ""
    if names is not None:
        return names.get(value, str(value))
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dt.date):
        return format_date(value, "j/n/Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _change(schema, field: str, old: Any, new: Any, names: dict) -> Change | None:
    """The preview's line for `field` if the file's value differs from the stored one; a
    blank cell and an empty field are alike."""
    if old == new or (old in (None, "") and new in (None, "")):
        return None
    column = schema.by_key[field]
    return Change(
        column.th, column.en, _shown(old, names.get(field)), _shown(new, names.get(field))
    )


class VendorImport(SpreadsheetImport):
    entities = {
        "vendor": ("ผู้ประกอบการ", "vendors"),
        "product": ("สินค้า", "products"),
    }

    def __init__(self, *, session=None):
        self.session = session
        if session is not None:
            self.entities = {**self.entities, "shortlist": ("รายชื่อที่คัดเลือก", "shortlist")}

    def build_schema(self) -> WorkbookSchema:
        return build_schema()

    def lock_key(self) -> str:
        # Registry and shortlist imports write the same vendors: one lock for both.
        return "vendors.imports.VendorImport"

    # -- what the plan reads ---------------------------------------------------------

    def state_keys(self, workbook: ParsedWorkbook) -> frozenset[str]:
        return frozenset(
            row.values["certificate_number"].upper()
            for name in ("vendors", "products")
            if (sheet := workbook.get(name)) is not None
            for row in sheet.rows
            if row.values.get("certificate_number")
        )

    def state_querysets(self, keys: frozenset[str]) -> list:
        vendors = Vendor.objects.annotate(cert_key=Upper("certificate_number")).filter(
            cert_key__in=bulk.among(keys, "text")
        )
        querysets = [
            vendors,
            Product.objects.filter(vendor__in=vendors),
            Vendor.languages.through.objects.filter(vendor__in=vendors),
            District.objects.all(),
            ProductCategory.objects.all(),
            Language.objects.all(),
        ]
        if self.session is not None:
            from meetings.models import ProgrammeYear, Session, ShortlistEntry

            entries = ShortlistEntry.objects.filter(session=self.session)
            querysets += [
                Session.objects.filter(pk=self.session.pk),
                ProgrammeYear.objects.filter(pk=self.session.year_id),
                entries,
                ShortlistEntry.products.through.objects.filter(shortlistentry__in=entries),
            ]
        return querysets

    # -- planning --------------------------------------------------------------------

    def make_plan(self, workbook: ParsedWorkbook, issues: Issues, plan: Plan) -> None:
        vendor_sheet = workbook.get("vendors")
        product_sheet = workbook.get("products")
        vendor_rows = vendor_sheet.rows if vendor_sheet else []
        product_rows = product_sheet.rows if product_sheet else []
        # (Rows are not read when a header is wrong: that error is enough.)
        if vendor_sheet is not None and not vendor_rows and not product_rows:
            if issues.has_errors:
                return
            issues.error(
                "sheet_no_rows", sheet=vendor_sheet.name, params={"sheet": vendor_sheet.name}
            )
            return
        certificates = {
            r.values["certificate_number"].upper()
            for r in (*vendor_rows, *product_rows)
            if r.values.get("certificate_number")
        }
        existing = {
            v.cert_key: v
            for v in Vendor.objects.annotate(cert_key=Upper("certificate_number")).filter(
                cert_key__in=bulk.among(certificates, "text")
            )
        }
        language_ids = (
            self._languages_of(existing.values())
            if (vendor_sheet and vendor_sheet.has("languages"))
            else {}
        )
        # Shown in the preview to readers of either language.
        names = {
            key: {
                pk: f"{th} / {en}"
                for pk, th, en in model.objects.values_list("pk", "name_th", "name_en")
            }
            for key, model in (
                ("district", District),
                ("category", ProductCategory),
                ("languages", Language),
            )
        }
        payload = plan.payload
        payload.update(
            vendor_create=[],
            vendor_update=[],
            vendor_update_fields=set(),
            languages={},
            product_create=[],
            product_vendor=[],
            product_update=[],
            product_update_fields=set(),
            shortlist=[],
        )
        in_file: dict[str, Vendor] = {}
        if vendor_sheet is not None:
            self._plan_vendors(vendor_sheet, existing, language_ids, names, issues, plan, in_file)
        sheet_certificates = {
            r.values["certificate_number"].upper()
            for r in vendor_rows
            if r.values.get("certificate_number")
        }
        products_of: dict[str, list] = {}
        if product_sheet is not None:
            self._plan_products(
                product_sheet,
                existing,
                in_file,
                sheet_certificates,
                names,
                issues,
                plan,
                products_of,
            )
        if self.session is not None:
            plan_shortlist(
                self.session,
                vendor_sheet,
                product_sheet,
                existing,
                in_file,
                products_of,
                issues,
                plan,
            )

    def _languages_of(self, vendors) -> dict[int, list[int]]:
        through = Vendor.languages.through
        result: dict[int, list[int]] = {}
        ids = [v.pk for v in vendors]
        for vendor_id, language_id in (
            through.objects.filter(vendor_id__in=bulk.among(ids, "bigint"))
            .values_list("vendor_id", "language_id")
            .order_by("vendor_id", "language_id")
        ):
            result.setdefault(vendor_id, []).append(language_id)
        return result

    def _plan_vendors(self, sheet, existing, language_ids, names, issues, plan, in_file) -> None:
        schema = sheet.schema
        present = [k for k in VENDOR_FIELDS if sheet.has(k)]
        with_languages = sheet.has("languages")
        payload = plan.payload
        for row in sheet.rows:
            values = row.values
            certified, expires = values.get("certified_on"), values.get("certificate_expires_on")
            if certified and expires and expires < certified:
                sheet.cell_issue(issues, row, "certificate_expires_on", "expiry_before_certified")
            if not row.valid:
                continue
            cert = values["certificate_number"]
            key = cert.upper()
            vendor = existing.get(key)
            if vendor is None:
                vendor = bulk.instance(
                    Vendor,
                    {"certificate_number": cert} | {ATTNAMES.get(f, f): values[f] for f in present},
                )
                payload["vendor_create"].append(vendor)
                if with_languages:
                    payload["languages"][key] = values["languages"]
                in_file[key] = vendor
                plan.add(
                    PlanItem(
                        CREATE,
                        "vendor",
                        f"{cert} · {values['business_name_th']}",
                        sheet=sheet.name,
                        row=row.number,
                    )
                )
                continue
            in_file[key] = vendor
            changes = []
            changed_fields = []
            for field in present:
                attname = ATTNAMES.get(field, field)
                change = _change(schema, field, getattr(vendor, attname), values[field], names)
                if change:
                    changes.append(change)
                    setattr(vendor, attname, values[field])
                    changed_fields.append(attname)
            if with_languages:
                old_ids = language_ids.get(vendor.pk, [])
                new_ids = sorted(values["languages"])
                if old_ids != new_ids:
                    column = schema.by_key["languages"]
                    lang_names = names["languages"]
                    changes.append(
                        Change(
                            column.th,
                            column.en,
                            ", ".join(lang_names[i] for i in old_ids),
                            ", ".join(lang_names[i] for i in new_ids),
                        )
                    )
                    payload["languages"][key] = new_ids
            label = f"{vendor.certificate_number} · {vendor.business_name_th}"
            if changes:
                if changed_fields:
                    payload["vendor_update"].append(vendor)
                    payload["vendor_update_fields"].update(changed_fields)
                plan.add(
                    PlanItem(
                        UPDATE, "vendor", label, sheet=sheet.name, row=row.number, changes=changes
                    )
                )
            else:
                plan.add(PlanItem(UNCHANGED, "vendor", label, sheet=sheet.name, row=row.number))

    def _plan_products(
        self, sheet, existing, in_file, sheet_certificates, names, issues, plan, products_of
    ) -> None:
        schema = sheet.schema
        present = [k for k in PRODUCT_FIELDS if sheet.has(k)]
        vendor_ids = [v.pk for v in existing.values()]
        attnames = {f: ATTNAMES.get(f, f) for f in present}
        # Plain rows, not model instances: 16,000 products load several times faster.
        # Names are compared by the database's lower(), as its unique index compares them.
        current = {
            (row["vendor_id"], row["name_key"]): row
            for row in Product.objects.filter(vendor_id__in=bulk.among(vendor_ids, "bigint"))
            .annotate(name_key=Lower("name_th"))
            .values("id", "vendor_id", "name_th", "name_key", *attnames.values())
        }
        name_keys = bulk.db_lower(r.values.get("name_th") for r in sheet.rows if r.valid)
        payload = plan.payload
        for row in sheet.rows:
            values = row.values
            cert = values.get("certificate_number")
            if cert and cert.upper() not in existing and cert.upper() not in sheet_certificates:
                sheet.cell_issue(
                    issues, row, "certificate_number", "unknown_vendor", {"certificate": cert}
                )
            if not row.valid:
                continue
            key = cert.upper()
            vendor = in_file.get(key) or existing.get(key)
            if vendor is None:  # its vendor row has errors, reported there
                continue
            name_key = name_keys.get(values["name_th"], values["name_th"])
            stored = current.get((vendor.pk, name_key)) if vendor.pk else None
            label = f"{vendor.certificate_number} · {values['name_th']}"
            new_state = {attnames[f]: values[f] for f in present}
            if stored is None:
                product = bulk.instance(Product, new_state)
                payload["product_create"].append(product)
                payload["product_vendor"].append(vendor)
                products_of.setdefault(key, []).append(product)
                plan.add(PlanItem(CREATE, "product", label, sheet=sheet.name, row=row.number))
                continue
            changes = []
            for field in present:
                change = _change(schema, field, stored[attnames[field]], values[field], names)
                if change:
                    changes.append(change)
                    payload["product_update_fields"].add(attnames[field])
            # Every column of the sheet is in the instance, so whichever fields the update
            # writes (the union over all rows) carry the file's values, equal or new.
            if changes or self.session is not None:
                product = bulk.instance(
                    Product,
                    {"id": stored["id"], "vendor_id": vendor.pk, "name_th": stored["name_th"]}
                    | (new_state if changes else {}),
                )
                products_of.setdefault(key, []).append(product)
            if changes:
                payload["product_update"].append(product)
                plan.add(
                    PlanItem(
                        UPDATE, "product", label, sheet=sheet.name, row=row.number, changes=changes
                    )
                )
            else:
                plan.add(PlanItem(UNCHANGED, "product", label, sheet=sheet.name, row=row.number))

    # -- writing ---------------------------------------------------------------------

    def apply(self, plan: Plan, *, acting_user: User | None) -> None:
        payload = plan.payload
        now = timezone.now()
        bulk.create(Vendor, payload["vendor_create"], acting_user=acting_user, now=now)
        bulk.update(
            Vendor,
            payload["vendor_update"],
            sorted(payload["vendor_update_fields"]),
            acting_user=acting_user,
            now=now,
        )
        if payload["languages"]:
            self._set_languages(payload["languages"], plan)
        # New vendors have their ids only now.
        for product, vendor in zip(
            payload["product_create"], payload["product_vendor"], strict=True
        ):
            product.vendor_id = vendor.pk
        bulk.create(Product, payload["product_create"], acting_user=acting_user, now=now)
        bulk.update(
            Product,
            payload["product_update"],
            sorted(payload["product_update_fields"]),
            acting_user=acting_user,
            now=now,
        )
        if self.session is not None:
            from meetings.services import shortlists

            shortlists.shortlist_replace(
                session=self.session,
                entries=payload["shortlist"],
                acting_user=acting_user,
            )

    def _set_languages(self, languages: dict[str, list[int]], plan: Plan) -> None:
        through = Vendor.languages.through
        vendors = {v.certificate_number.upper(): v for v in plan.payload["vendor_create"]}
        for v in plan.payload["vendor_update"]:
            vendors[v.certificate_number.upper()] = v
        missing = [k for k in languages if k not in vendors]
        if missing:
            for v in Vendor.objects.annotate(cert_key=Upper("certificate_number")).filter(
                cert_key__in=bulk.among(missing, "text")
            ):
                vendors[v.cert_key] = v
        ids = [vendors[k].pk for k in languages]
        through.objects.filter(vendor_id__in=bulk.among(ids, "bigint")).delete()
        rows = [(vendors[k].pk, lang) for k, langs in languages.items() for lang in langs]
        if connection.vendor == "postgresql":
            bulk.copy_rows(through._meta.db_table, ["vendor_id", "language_id"], rows)
        else:
            through.objects.bulk_create(
                [through(vendor_id=v, language_id=lang) for v, lang in rows], batch_size=500
            )
