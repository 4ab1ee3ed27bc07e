"""Personal data under Thailand's PDPA: find one person, export all the portal holds on
them, and erase it on request.

A person is a vendor's owner and contact (the Vendor row) or a sister city's contact (a
CityContact). Their data also sits in rows that copy it (city participants, outcome
contacts that name them, e-mails sent to them) and in django-simple-history's tables,
which keep every old value: an erasure that left those alone would not be one.

Erasure overwrites values and never deletes a row or a foreign key, so every count, KPI
and statistic reads the same afterwards; the vendor as a business stays.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.models import CityContact
from meetings.models import CityParticipant, ParticipantNotice
from outcomes.models import Contact, VendorLink
from vendors.models import Vendor

from .audit import save_audited
from .fiscal import BANGKOK
from .models import PersonalDataErasure

Subject = Vendor | CityContact
SEARCH_LIMIT = 50

# How a field is overwritten: MARK takes the marker (required text), BLANK empties it,
# TEXT removes the person's names and addresses from free text, UNIQUE_EMAIL gives each
# row its own inert address (a unique constraint includes the field).
MARK, BLANK, TEXT, UNIQUE_EMAIL = "mark", "blank", "text", "unique_email"


@dataclass
class Holding:
    """One kind of row that holds the person's data: the live rows, the history rows and
    how each personal field is overwritten."""

    model: type[models.Model]
    live: list[models.Model]
    history_ids: list[int]
    fields: dict[str, str]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def history_model(self) -> type[models.Model] | None:
        history = getattr(self.model, "history", None)
        return history.model if history is not None else None


@dataclass
class ErasureReport:
    erasure: PersonalDataErasure
    marker: str
    rows_touched: dict[str, dict[str, int]] = field(default_factory=dict)


def subject_kind(subject: Subject) -> str:
    if isinstance(subject, Vendor):
        return PersonalDataErasure.SubjectKind.VENDOR
    return PersonalDataErasure.SubjectKind.CITY_CONTACT


def subject_label(subject: Subject) -> str:
    """A label safe to keep after erasure: the business, or the city and the row id."""
    if isinstance(subject, Vendor):
        return f"{subject.business_name} ({subject.certificate_number})"
    return f"{subject.city} – {_('city contact')} #{subject.pk}"


# --- finding -------------------------------------------------------------------------------


def pdpa_search(*, query: str) -> tuple[list[Vendor], list[CityContact]]:
    """Vendors and city contacts whose person matches a name or an e-mail (part of one)."""
    query = query.strip()
    if len(query) < 2:
        return [], []
    vendors = list(
        Vendor.objects.filter(
            Q(owner_name__icontains=query)
            | Q(contact_person__icontains=query)
            | Q(email__icontains=query)
            | Q(business_name_th__icontains=query)
            | Q(business_name_en__icontains=query)
        )
        .select_related("district")
        .order_by("business_name_th", "pk")[:SEARCH_LIMIT]
    )
    contacts = list(
        CityContact.objects.filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("city")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    return vendors, contacts


def _any_iexact(field_name: str, values: Iterable[str]) -> Q:
    values = [v for v in values if v]
    if not values:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{f"{field_name}__iexact": v}) for v in values))


def _values(model_rows: Iterable, *names: str) -> set[str]:
    found = set()
    for row in model_rows:
        for name in names:
            value = (getattr(row, name, "") or "").strip()
            if value:
                found.add(value)
    return found


def _holding(model, live_qs, history_q: Q, fields: dict[str, str]) -> Holding:
    live = list(live_qs.order_by("pk"))
    history_ids: list[int] = []
    history = getattr(model, "history", None)
    if history is not None:
        pk_name = model._meta.pk.attname
        q = history_q | Q(**{f"{pk_name}__in": [row.pk for row in live]})
        history_ids = list(
            history.model.objects.filter(q)
            .order_by("history_id")
            .values_list("history_id", flat=True)
        )
    return Holding(model=model, live=live, history_ids=history_ids, fields=fields)


def _vendor_holdings(vendor: Vendor) -> tuple[list[Holding], set[str]]:
    past = list(Vendor.history.filter(id=vendor.pk))
    emails = _values([vendor, *past], "email")
    needles = _values([vendor, *past], "owner_name", "contact_person", "email", "phone", "line_id")
    holdings = [
        _holding(
            Vendor,
            Vendor.objects.filter(pk=vendor.pk),
            Q(id=vendor.pk),
            {
                "owner_name": MARK,
                "contact_person": MARK,
                "phone": BLANK,
                "email": BLANK,
                "line_id": BLANK,
                "website": BLANK,
            },
        ),
        _holding(
            VendorLink,
            VendorLink.objects.filter(submission__vendor=vendor).exclude(email=""),
            Q(pk__in=[]),
            {"email": BLANK},
        ),
        _holding(
            ParticipantNotice,
            ParticipantNotice.objects.filter(_any_iexact("recipient_email", emails)),
            Q(pk__in=[]),
            {"recipient_name": MARK, "recipient_email": UNIQUE_EMAIL},
        ),
    ]
    return holdings, needles


def _city_contact_holdings(contact: CityContact) -> tuple[list[Holding], set[str]]:
    past = list(CityContact.history.filter(id=contact.pk))
    emails = _values([contact, *past], "email")
    names = _values([contact, *past], "name")
    needles = names | emails | _values([contact, *past], "phone")
    participant_q = Q(contact_id=contact.pk) | _any_iexact("email", emails)
    # An outcome contact has no e-mail and no link to the city contact: it names them.
    counterpart_q = Q(city_id=contact.city_id) & _any_iexact("counterpart_name", names)
    holdings = [
        _holding(
            CityContact,
            CityContact.objects.filter(pk=contact.pk),
            Q(id=contact.pk),
            {
                "name": MARK,
                "title": BLANK,
                "organisation": BLANK,
                "email": BLANK,
                "phone": BLANK,
            },
        ),
        _holding(
            CityParticipant,
            CityParticipant.objects.filter(participant_q),
            participant_q,
            {"name": MARK, "title": BLANK, "organisation": BLANK, "email": BLANK},
        ),
        _holding(
            Contact,
            Contact.objects.filter(counterpart_q),
            counterpart_q,
            {"counterpart_name": MARK, "counterpart_organisation": MARK, "notes": TEXT},
        ),
        _holding(
            ParticipantNotice,
            ParticipantNotice.objects.filter(_any_iexact("recipient_email", emails)),
            Q(pk__in=[]),
            {"recipient_name": MARK, "recipient_email": UNIQUE_EMAIL},
        ),
    ]
    return holdings, needles


def _holdings(subject: Subject) -> tuple[list[Holding], set[str]]:
    if isinstance(subject, Vendor):
        return _vendor_holdings(subject)
    return _city_contact_holdings(subject)


# --- export --------------------------------------------------------------------------------


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, BANGKOK).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _exported_fields(model: type[models.Model]) -> list[models.Field]:
    # Staff who touched a row are not the data subject: their ids stay out of the export.
    user_model = get_user_model()
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.is_relation and f.related_model is user_model)
    ]


def _row_dict(model: type[models.Model], row: models.Model) -> dict:
    return {f.attname: _jsonable(getattr(row, f.attname)) for f in _exported_fields(model)}


def _history_dict(model: type[models.Model], row: models.Model) -> dict:
    data = _row_dict(model, row)
    data.update(
        history_id=row.history_id,
        history_date=_jsonable(row.history_date),
        history_type=row.history_type,
        history_change_reason=row.history_change_reason or "",
    )
    return data


def person_data_export(*, subject: Subject, acting_user: AbstractBaseUser) -> dict:
    """Everything held on the person, live and in history, as plain JSON-ready data."""
    holdings, _needles = _holdings(subject)
    records = []
    for holding in holdings:
        history_rows = []
        if holding.history_model is not None and holding.history_ids:
            history_rows = [
                _history_dict(holding.model, row)
                for row in holding.history_model.objects.filter(
                    history_id__in=holding.history_ids
                ).order_by("history_date", "history_id")
            ]
        if not holding.live and not history_rows:
            continue
        records.append(
            {
                "model": holding.label,
                "name": str(holding.model._meta.verbose_name_plural),
                "personal_fields": sorted(holding.fields),
                "live": [_row_dict(holding.model, row) for row in holding.live],
                "history": history_rows,
            }
        )
    return {
        "subject": {
            "kind": str(subject_kind(subject)),
            "id": subject.pk,
            "label": subject_label(subject),
        },
        "generated_at": _jsonable(timezone.now()),
        "generated_by": acting_user.get_username(),
        "records": records,
    }


def person_data_export_sheets(data: dict):
    """The export as workbook sheets: one per kind of row, live and history apart."""
    from .spreadsheets.xlsx import ExportSheet

    sheets = [
        ExportSheet(
            title=str(_("Person")),
            headers=[_("Field"), _("Value")],
            rows=[
                (_("Kind of person"), data["subject"]["kind"]),
                (_("Record id"), data["subject"]["id"]),
                (_("Record"), data["subject"]["label"]),
                (_("Exported at"), data["generated_at"]),
                (_("Exported by"), data["generated_by"]),
            ],
            widths=(24, 60),
        )
    ]
    for record in data["records"]:
        for part, rows in (("live", record["live"]), ("history", record["history"])):
            if not rows:
                continue
            headers = list(rows[0])
            suffix = _("history") if part == "history" else _("current")
            sheets.append(
                ExportSheet(
                    title=f"{record['model'].split('.')[1][:20]} {suffix}"[:31],
                    headers=headers,
                    rows=[[row.get(h) for h in headers] for row in rows],
                    widths=[22] * len(headers),
                )
            )
    return sheets


# --- erasure -------------------------------------------------------------------------------


def erasure_marker(day: dt.date | None = None) -> str:
    day = day or timezone.localdate(timezone.now(), BANGKOK)
    return f"[erased {day.isoformat()}]"


def _scrub_text(text: str, needles: set[str], marker: str) -> str:
    for needle in sorted(needles, key=len, reverse=True):
        text = text.replace(needle, marker)
    return text


def _live_value(rule: str, current: str, row: models.Model, marker: str, needles: set[str]):
    if rule == MARK:
        return marker if current else current
    if rule == BLANK:
        return ""
    if rule == UNIQUE_EMAIL:
        return f"erased-{row.pk}@erased.invalid"
    return _scrub_text(current, needles, marker)


def _history_expression(name: str, rule: str, marker: str, needles: set[str]):
    if rule == MARK:
        return Case(When(**{name: ""}, then=Value("")), default=Value(marker))
    if rule == BLANK:
        return Value("")
    expression = models.F(name)
    for needle in sorted(needles, key=len, reverse=True):
        expression = Replace(expression, Value(needle), Value(marker))
    return expression


def _erase_live(holding: Holding, marker: str, needles: set[str], acting_user, reason) -> None:
    tracked = holding.history_model is not None
    for row in holding.live:
        for name, rule in holding.fields.items():
            setattr(row, name, _live_value(rule, getattr(row, name), row, marker, needles))
        # Mail still waiting must not go to an address that is no longer there.
        if isinstance(row, ParticipantNotice) and row.status == ParticipantNotice.Status.PENDING:
            row.status = ParticipantNotice.Status.FAILED
            row.last_error = "Personal data erased (PDPA)."
        if isinstance(row, VendorLink) and row.email_status == VendorLink.EmailStatus.PENDING:
            row.email_status = VendorLink.EmailStatus.FAILED
            row.email_last_error = "Personal data erased (PDPA)."
        if tracked:
            save_audited(row, acting_user=acting_user, reason=reason)
        else:
            row.save()


def _erase_history(holding: Holding, marker: str, needles: set[str]) -> int:
    if holding.history_model is None or not holding.history_ids:
        return 0
    updates = {
        name: _history_expression(name, rule, marker, needles)
        for name, rule in holding.fields.items()
    }
    return holding.history_model.objects.filter(history_id__in=holding.history_ids).update(
        **updates
    )


@transaction.atomic
def person_data_erase(
    *, subject: Subject, reason: str, acting_user: AbstractBaseUser
) -> ErasureReport:
    """Overwrite the person's data in every live and history row that holds it, keep every
    row and key, and record the erasure (without the erased values)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("An erasure needs a reason.")
    model = type(subject)
    subject = model.objects.select_for_update().get(pk=subject.pk)
    marker = erasure_marker()
    holdings, needles = _holdings(subject)
    history_reason = "PDPA erasure"
    rows_touched: dict[str, dict[str, int]] = {}
    for holding in holdings:
        _erase_live(holding, marker, needles, acting_user, history_reason)
        # The history rows listed before the live saves, plus those the saves just wrote.
        if holding.history_model is not None and holding.live:
            pk_name = holding.model._meta.pk.attname
            holding.history_ids = list(
                holding.history_model.objects.filter(
                    Q(history_id__in=holding.history_ids)
                    | Q(**{f"{pk_name}__in": [row.pk for row in holding.live]})
                ).values_list("history_id", flat=True)
            )
        history_count = _erase_history(holding, marker, needles)
        if holding.live or history_count:
            rows_touched[holding.label] = {"live": len(holding.live), "history": history_count}
    erasure = PersonalDataErasure.objects.create(
        subject_kind=subject_kind(subject),
        subject_id=subject.pk,
        reason=reason,
        marker=marker,
        rows_touched=rows_touched,
        performed_by=acting_user,
    )
    return ErasureReport(erasure=erasure, marker=marker, rows_touched=rows_touched)


def erasures_recent(*, limit: int = 20) -> list[PersonalDataErasure]:
    return list(PersonalDataErasure.objects.select_related("performed_by")[:limit])
