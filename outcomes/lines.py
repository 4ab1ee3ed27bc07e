"""The lines of a submission as forms, uploads and the vendor's link give them, and the
checks and writes that submission_save_lines (services.py) runs on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.utils.translation import gettext as _

from core.audit import delete_audited, save_audited
from core.fiscal import BANGKOK
from core.thai import format_date
from meetings.models import Session
from vendors.models import Product

from . import policy
from .models import Contact, OrderLine, ReportingPeriod, Submission


@dataclass
class ContactInput:
    """One contact line as a form or an uploaded row gives it. `id` names an existing
    line of the submission to change (or, with `delete`, to remove)."""

    city_id: int
    counterpart_name: str
    counterpart_kind: str
    direction: str
    contacted_on: dt.date
    channel: str
    about_buying: bool = False
    counterpart_organisation: str = ""
    session_id: int | None = None
    product_id: int | None = None
    notes: str = ""
    id: int | None = None
    delete: bool = False

    FIELDS = (
        "city_id",
        "counterpart_name",
        "counterpart_kind",
        "direction",
        "contacted_on",
        "channel",
        "about_buying",
        "counterpart_organisation",
        "session_id",
        "product_id",
        "notes",
    )

    @classmethod
    def removal(cls, pk: int) -> ContactInput:
        return cls(
            id=pk,
            delete=True,
            city_id=0,
            counterpart_name="",
            counterpart_kind="",
            direction="",
            contacted_on=dt.date.min,
            channel="",
        )


@dataclass
class OrderInput:
    product_id: int
    city_id: int
    quantity: object
    unit: str
    value_thb: object
    ordered_on: dt.date
    notes: str = ""
    id: int | None = None
    delete: bool = False

    FIELDS = ("product_id", "city_id", "quantity", "unit", "value_thb", "ordered_on", "notes")

    @classmethod
    def removal(cls, pk: int) -> OrderInput:
        return cls(
            id=pk,
            delete=True,
            product_id=0,
            city_id=0,
            quantity=0,
            unit="",
            value_thb=0,
            ordered_on=dt.date.min,
        )


def line_date_error(day: dt.date, period: ReportingPeriod, today: dt.date) -> str | None:
    """Why a contact or order date cannot be reported in this period, or None."""
    if day > today:
        return _("The date is in the future.")
    if day > period.last_day:
        return _("The date is after the end of the reporting period (%(day)s).") % {
            "day": format_date(period.last_day, "j F Y")
        }
    return None


def validate_lines(
    submission: Submission, contacts: Sequence[ContactInput], orders: Sequence[OrderInput]
) -> list[str]:
    today = policy.today()
    period = submission.period
    product_ids = set(
        Product.objects.filter(vendor_id=submission.vendor_id).values_list("pk", flat=True)
    )
    session_ids = {c.session_id for c in contacts if c.session_id and not c.delete}
    session_days = {
        pk: starts_at.astimezone(BANGKOK).date() if starts_at else None
        for pk, starts_at in Session.objects.filter(pk__in=session_ids).values_list(
            "pk", "starts_at"
        )
    }
    contact_ids = set(submission.contacts.values_list("pk", flat=True))
    order_ids = set(submission.orders.values_list("pk", flat=True))
    errors: list[str] = []
    line: ContactInput | OrderInput  # a contact in the first loop, an order in the second
    for number, line in enumerate(contacts, start=1):
        if line.id is not None and line.id not in contact_ids:
            errors.append(_("Contact %(n)s is not part of this submission.") % {"n": number})
            continue
        if line.delete:
            continue
        problem = line_date_error(line.contacted_on, period, today)
        if problem:
            errors.append(_("Contact %(n)s: %(problem)s") % {"n": number, "problem": problem})
        if line.product_id is not None and line.product_id not in product_ids:
            errors.append(
                _("Contact %(n)s: the product is not one of this vendor's products.")
                % {"n": number}
            )
        if line.session_id is not None:
            day = session_days.get(line.session_id)
            if line.session_id not in session_days:
                errors.append(_("Contact %(n)s: the session does not exist.") % {"n": number})
            elif day is not None and line.contacted_on < day:
                errors.append(
                    _("Contact %(n)s is dated before the session it followed from.") % {"n": number}
                )
    for number, line in enumerate(orders, start=1):
        if line.id is not None and line.id not in order_ids:
            errors.append(_("Order %(n)s is not part of this submission.") % {"n": number})
            continue
        if line.delete:
            continue
        problem = line_date_error(line.ordered_on, period, today)
        if problem:
            errors.append(_("Order %(n)s: %(problem)s") % {"n": number, "problem": problem})
        if line.product_id not in product_ids:
            errors.append(
                _("Order %(n)s: the product is not one of this vendor's products.") % {"n": number}
            )
    return errors


def apply_lines(
    model: type[Contact] | type[OrderLine],
    submission: Submission,
    lines: Sequence[ContactInput | OrderInput],
    *,
    replace: bool,
    acting_user: User | None,
) -> None:
    existing: dict[int, Contact | OrderLine] = {
        obj.pk: obj for obj in model.objects.filter(submission=submission)
    }
    deleted_ids = {line.id for line in lines if line.id is not None and line.delete}
    obj: Contact | OrderLine | None
    for pk, obj in existing.items():
        if replace or pk in deleted_ids:
            delete_audited(obj, acting_user=acting_user)
    for number, line in enumerate(lines, start=1):
        if line.delete:
            continue
        obj = existing.get(line.id) if (line.id is not None and not replace) else None
        if obj is None:
            obj = model(submission=submission)
        for name in line.FIELDS:
            setattr(obj, name, getattr(line, name))
        # Foreign keys were checked against the vendor's products and the forms' choices;
        # the database enforces them as well. This checks choices, lengths and amounts.
        try:
            obj.clean_fields(exclude=["submission", "city", "session", "product"])
        except ValidationError as exc:
            raise ValidationError(
                [
                    f"{cast(str, model._meta.verbose_name).capitalize()} {number}: "
                    f"{cast(Field, model._meta.get_field(name)).verbose_name}: {message}"
                    for name, messages in exc.message_dict.items()
                    for message in messages
                ],
                code="lines",
            ) from exc
        save_audited(obj, acting_user=acting_user)
