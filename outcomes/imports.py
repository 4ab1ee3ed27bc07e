"""FAO's six-monthly outcome form as an Excel workbook, read with core.spreadsheets.

One workbook per vendor and period, two sheets: the contacts made or received, and the
orders received. The upload takes the place of the submission's lines: a row that matches
a line already there leaves it unchanged, a new row adds a line, and a line the file no
longer lists is removed. Uploading the same file twice therefore changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cities.models import SisterCity
from core.fiscal import BANGKOK
from core.spreadsheets import (
    CREATE,
    DELETE,
    UNCHANGED,
    BooleanColumn,
    Choice,
    ChoiceColumn,
    DateColumn,
    DecimalColumn,
    Issues,
    ParsedWorkbook,
    Plan,
    PlanItem,
    SheetSchema,
    SpreadsheetImport,
    TextColumn,
    WorkbookSchema,
    messages,
    write_template,
)
from core.spreadsheets.schema import model_min_value
from core.thai import format_date
from meetings.models import Session
from vendors.models import Product

from .kpi import held_session_q
from .models import Contact, OrderLine, ReportingPeriod, Submission
from .services import ContactInput, OrderInput, submission_save_lines

messages.register(
    outcome_date_future=_("The date is in the future."),
    outcome_date_after_period=_("The date is after the end of the reporting period (%(day)s)."),
    outcome_before_session=_("The contact is dated before the session it followed from (%(day)s)."),
    outcome_unit_missing=_("Enter the unit: the product has none in the registry."),
)


def _both(choices) -> list[Choice]:
    """A model's TextChoices as choices a cell may name in Thai or English."""
    result = []
    for value, label in choices:
        with translation.override("th"):
            thai = str(label)
        with translation.override("en"):
            english = str(label)
        result.append(Choice(value, thai, english, aliases=(value,)))
    return result


def city_choices() -> list[Choice]:
    return [Choice(c.pk, c.name_th, c.name_en) for c in SisterCity.objects.order_by("name_en")]


def session_choices() -> list[Choice]:
    sessions = Session.objects.filter(held_session_q()).select_related("year")
    return [
        Choice(
            s.pk,
            f"ครั้งที่ {s.number} ปีงบประมาณ {s.year.fiscal_year}",
            f"Session {s.number}, FY {s.year.fiscal_year}",
            aliases=(f"{s.number}/{s.year.fiscal_year}",),
        )
        for s in sessions.order_by("-year__fiscal_year", "number")
    ]


def product_choices_of(vendor_id: int) -> Callable[[], list[Choice]]:
    def load() -> list[Choice]:
        return [
            Choice(p.pk, p.name_th, p.name_en)
            for p in Product.objects.filter(vendor_id=vendor_id).order_by("name_th")
        ]

    return load


DATE_HELP: dict[str, Any] = {
    "help_th": "วัน/เดือน/ปี เช่น 20/1/2569",
    "help_en": "day/month/year, e.g. 20/1/2569 or 20/1/2026",
}


def _city_column() -> ChoiceColumn:
    """The sister city, the same column on the contacts and the orders sheet."""
    return ChoiceColumn(
        "city",
        th="เมืองพี่เมืองน้อง",
        en="Sister city",
        required=True,
        choices=city_choices,
        aliases=["เมือง", "city"],
        width=24,
    )


def build_schema(vendor_id: int) -> WorkbookSchema:
    products = product_choices_of(vendor_id)
    contacts = SheetSchema(
        key="contacts",
        th="การติดต่อ",
        en="Contacts",
        allow_empty=True,
        columns=[
            DateColumn("contacted_on", th="วันที่ติดต่อ", en="Date", required=True, **DATE_HELP),
            _city_column(),
            TextColumn(
                "counterpart_name",
                th="ชื่อผู้ติดต่อ",
                en="Counterpart",
                required=True,
                max_length=255,
                aliases=["ผู้ติดต่อ", "counterpart name"],
                width=24,
            ),
            TextColumn(
                "counterpart_organisation",
                th="บริษัท/หน่วยงาน",
                en="Organisation",
                max_length=255,
                aliases=["หน่วยงาน", "บริษัท", "organization", "company"],
                width=26,
            ),
            ChoiceColumn(
                "counterpart_kind",
                th="ประเภทผู้ติดต่อ",
                en="Counterpart is a",
                required=True,
                choices=lambda: _both(Contact.CounterpartKind.choices),
                aliases=["counterpart kind", "counterpart type"],
                width=22,
            ),
            ChoiceColumn(
                "direction",
                th="ใครติดต่อใคร",
                en="Who contacted whom",
                required=True,
                choices=lambda: _both(Contact.Direction.choices),
                aliases=["direction"],
                width=28,
            ),
            ChoiceColumn(
                "channel",
                th="ช่องทาง",
                en="Channel",
                required=True,
                choices=lambda: _both(Contact.Channel.choices),
                width=20,
            ),
            BooleanColumn(
                "about_buying",
                th="เกี่ยวกับการสั่งซื้อ",
                en="About buying",
                default=False,
                aliases=["สั่งซื้อ", "buying"],
                width=14,
            ),
            ChoiceColumn(
                "session",
                th="ต่อเนื่องจากการประชุมครั้งที่",
                en="Followed from session",
                choices=session_choices,
                aliases=["การประชุม", "session"],
                width=26,
            ),
            ChoiceColumn(
                "product",
                th="สินค้าที่สอบถาม",
                en="Product asked about",
                choices=products,
                width=26,
            ),
            TextColumn(
                "notes", th="หมายเหตุ", en="Notes", multiline=True, max_length=2000, width=30
            ),
        ],
    )
    orders = SheetSchema(
        key="orders",
        th="คำสั่งซื้อ",
        en="Orders",
        required=False,
        allow_empty=True,
        columns=[
            DateColumn("ordered_on", th="วันที่สั่งซื้อ", en="Date", required=True, **DATE_HELP),
            ChoiceColumn(
                "product",
                th="สินค้า",
                en="Product",
                required=True,
                choices=products,
                width=28,
            ),
            _city_column(),
            DecimalColumn(
                "quantity",
                th="จำนวน",
                en="Quantity",
                required=True,
                max_digits=12,
                decimal_places=2,
                min_value=model_min_value(OrderLine, "quantity"),
            ),
            TextColumn(
                "unit",
                th="หน่วย",
                en="Unit",
                max_length=64,
                help_th="ว่างไว้ได้ ใช้หน่วยของสินค้า",
                help_en="Left blank: the product's unit.",
            ),
            DecimalColumn(
                "value_thb",
                th="มูลค่า (บาท)",
                en="Value (THB)",
                required=True,
                max_digits=14,
                decimal_places=2,
                min_value=model_min_value(OrderLine, "value_thb"),
                aliases=["มูลค่า", "value"],
            ),
            TextColumn(
                "notes", th="หมายเหตุ", en="Notes", multiline=True, max_length=2000, width=30
            ),
        ],
    )
    return WorkbookSchema([contacts, orders])


CONTACT_KEYS = (
    "contacted_on",
    "city_id",
    "counterpart_name",
    "counterpart_organisation",
    "counterpart_kind",
    "direction",
    "channel",
    "about_buying",
    "session_id",
    "product_id",
    "notes",
)
ORDER_KEYS = ("ordered_on", "product_id", "city_id", "quantity", "unit", "value_thb", "notes")


def _contact_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "contacted_on": values["contacted_on"],
        "city_id": values["city"],
        "counterpart_name": values["counterpart_name"],
        "counterpart_organisation": values.get("counterpart_organisation") or "",
        "counterpart_kind": values["counterpart_kind"],
        "direction": values["direction"],
        "channel": values["channel"],
        "about_buying": bool(values.get("about_buying")),
        "session_id": values.get("session"),
        "product_id": values.get("product"),
        "notes": values.get("notes") or "",
    }


def _order_values(values: dict[str, Any], unit: str) -> dict[str, Any]:
    return {
        "ordered_on": values["ordered_on"],
        "product_id": values["product"],
        "city_id": values["city"],
        "quantity": values["quantity"],
        "unit": unit,
        "value_thb": values["value_thb"],
        "notes": values.get("notes") or "",
    }


def _signature(values: dict[str, Any], keys: tuple[str, ...]) -> tuple:
    """What makes two lines the same (20 and 20.00 are the same quantity)."""
    return tuple(
        values[k].normalize() if isinstance(values[k], Decimal) else values[k] for k in keys
    )


class OutcomeFormImport(SpreadsheetImport):
    entities = {
        "contact": ("การติดต่อ", "contacts"),
        "order": ("คำสั่งซื้อ", "orders"),
    }

    def __init__(self, *, submission: Submission):
        self.submission = submission

    def build_schema(self) -> WorkbookSchema:
        return build_schema(self.submission.vendor_id)

    def lock_key(self) -> str:
        return f"outcomes.imports.OutcomeFormImport:{self.submission.pk}"

    def state_keys(self, workbook: ParsedWorkbook) -> str:
        # The plan refuses dates after today: another day, another check.
        return timezone.localdate().isoformat()

    def state_querysets(self, keys: str) -> list | None:
        if keys != timezone.localdate().isoformat():
            return None
        submission = self.submission
        return [
            Submission.objects.filter(pk=submission.pk),
            ReportingPeriod.objects.filter(pk=submission.period_id),
            Contact.objects.filter(submission=submission),
            OrderLine.objects.filter(submission=submission),
            Product.objects.filter(vendor_id=submission.vendor_id),
            SisterCity.objects.all(),
            Session.objects.all(),
        ]

    def make_plan(self, workbook: ParsedWorkbook, issues: Issues, plan: Plan) -> None:
        submission = self.submission
        period = submission.period
        today = timezone.localdate()
        cities = dict(SisterCity.objects.values_list("pk", "name_en"))
        sessions: dict[int | None, dt.date | None] = {
            s.pk: s.starts_at.astimezone(BANGKOK).date() if s.starts_at else None
            for s in Session.objects.filter(held_session_q())
        }
        products: dict[int | None, Product] = {
            p.pk: p for p in Product.objects.filter(vendor_id=submission.vendor_id)
        }
        plan.payload.update(contacts=[], orders=[])

        def check_day(sheet, row, key: str) -> None:
            day = row.values.get(key)
            if day is None:
                return
            if day > today:
                sheet.cell_issue(issues, row, key, "outcome_date_future")
            elif day > period.last_day:
                sheet.cell_issue(
                    issues,
                    row,
                    key,
                    "outcome_date_after_period",
                    params={"day": format_date(period.last_day, "j F Y")},
                )

        contacts = workbook.get("contacts")
        if contacts is not None:
            existing = defaultdict(list)
            for contact in Contact.objects.filter(submission=submission).order_by("pk"):
                values = {k: getattr(contact, k) for k in CONTACT_KEYS}
                existing[_signature(values, CONTACT_KEYS)].append((contact.pk, values))
            for row in contacts.rows:
                check_day(contacts, row, "contacted_on")
                session_day = sessions.get(row.values.get("session"))
                day = row.values.get("contacted_on")
                if row.valid and session_day and day and day < session_day:
                    contacts.cell_issue(
                        issues,
                        row,
                        "contacted_on",
                        "outcome_before_session",
                        params={"day": format_date(session_day, "j F Y")},
                    )
                if not row.valid:
                    continue
                values = _contact_values(row.values)
                label = self._contact_label(values, cities)
                matches = existing.get(_signature(values, CONTACT_KEYS))
                if matches:
                    matches.pop(0)
                    plan.add(PlanItem(UNCHANGED, "contact", label, contacts.name, row.number))
                    continue
                plan.payload["contacts"].append(ContactInput(**values))
                plan.add(PlanItem(CREATE, "contact", label, contacts.name, row.number))
            self._plan_removals(existing, "contact", "contacts", ContactInput, plan, cities)

        orders = workbook.get("orders")
        if orders is not None:
            existing = defaultdict(list)
            for order in OrderLine.objects.filter(submission=submission).order_by("pk"):
                values = {k: getattr(order, k) for k in ORDER_KEYS}
                existing[_signature(values, ORDER_KEYS)].append((order.pk, values))
            for row in orders.rows:
                check_day(orders, row, "ordered_on")
                product = products.get(row.values.get("product"))
                unit = row.values.get("unit") or (product.unit if product else "")
                if row.valid and product is not None and not unit:
                    orders.cell_issue(issues, row, "unit", "outcome_unit_missing")
                if not row.valid:
                    continue
                values = _order_values(row.values, unit)
                label = self._order_label(values, products, cities)
                matches = existing.get(_signature(values, ORDER_KEYS))
                if matches:
                    matches.pop(0)
                    plan.add(PlanItem(UNCHANGED, "order", label, orders.name, row.number))
                    continue
                plan.payload["orders"].append(OrderInput(**values))
                plan.add(PlanItem(CREATE, "order", label, orders.name, row.number))
            self._plan_removals(
                existing,
                "order",
                "orders",
                OrderInput,
                plan,
                cities,
                label=lambda v: self._order_label(v, products, cities),
            )

    def _plan_removals(self, existing, entity, payload_key, line_type, plan, cities, label=None):
        label = label or (lambda values: self._contact_label(values, cities))
        for lines in existing.values():
            for pk, values in lines:
                plan.payload[payload_key].append(line_type.removal(pk))
                plan.add(PlanItem(DELETE, entity, label(values)))

    @staticmethod
    def _contact_label(values: dict[str, Any], cities: dict[int, str]) -> str:
        day = values["contacted_on"]
        return (
            f"{format_date(day, 'j/n/Y')} · {cities.get(values['city_id'], '?')} · "
            f"{values['counterpart_name']}"
        )

    @staticmethod
    def _order_label(values, products, cities) -> str:
        product = products.get(values["product_id"])
        return (
            f"{format_date(values['ordered_on'], 'j/n/Y')} · {product.name if product else '?'}"
            f" · {cities.get(values['city_id'], '?')} · {values['quantity']:g} {values['unit']}"
        )

    def apply(self, plan: Plan, *, acting_user: User | None) -> None:
        submission_save_lines(
            submission=self.submission,
            contacts=plan.payload["contacts"],
            orders=plan.payload["orders"],
            acting_user=acting_user,
            entered_via=Submission.EnteredVia.UPLOAD,
        )


def outcome_form_template(submission: Submission) -> bytes:
    """The workbook SDO (or the vendor) fills in, with drop-downs for this vendor's
    products, the sister cities and the held sessions."""
    schema = build_schema(submission.vendor_id)
    schema.prepare()
    vendor = submission.vendor
    period = submission.period
    with translation.override("th"):
        period_th = period.label
    with translation.override("en"):
        period_en = period.label
    return write_template(
        schema,
        title=(
            f"แบบรายงานผลการดำเนินงานรายหกเดือน: {vendor.business_name_th} ({period_th})",
            f"Six-monthly outcome form: {vendor.business_name_en or vendor.business_name_th} "
            f"({period_en})",
        ),
        instructions=[
            (
                "หนึ่งแถวต่อการติดต่อหนึ่งครั้ง กับธุรกิจหรือลูกค้าในเมืองพี่เมืองน้อง",
                "One row per contact with a business or customer in a sister city.",
            ),
            (
                "ระบุว่าการติดต่อเกี่ยวกับการสั่งซื้อสินค้าหรือไม่",
                "Say whether the contact was about buying the vendor's products.",
            ),
            (
                "แผ่นงานคำสั่งซื้อ: หนึ่งแถวต่อคำสั่งซื้อหนึ่งรายการ",
                "Orders sheet: one row per order line.",
            ),
            (
                f"วันที่ต้องไม่เกิน {format_date(period.last_day, language='th')}",
                f"Dates may not be after {format_date(period.last_day, language='en')}.",
            ),
            (
                "การอัปโหลดจะแทนที่รายการเดิมของแบบรายงานนี้",
                "Uploading replaces the contacts and orders already entered for this form.",
            ),
        ],
    )


def template_filename(submission: Submission) -> str:
    period = submission.period
    return (
        f"outcome-form-{submission.vendor.certificate_number}-"
        f"{period.fiscal_year}-{period.half}.xlsx"
    )


__all__ = ["OutcomeFormImport", "build_schema", "outcome_form_template", "template_filename"]
