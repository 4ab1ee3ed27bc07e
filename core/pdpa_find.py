"""Finding one person's data for the PDPA services (core.pdpa): the live rows and the
history rows that hold it, and how each personal field is overwritten on erasure."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import CityContact
from meetings.models import CityParticipant, ParticipantNotice
from outcomes.models import Contact, Submission, VendorLink
from vendors.models import Vendor

from .models import PersonalDataErasure

Subject = Vendor | CityContact
SEARCH_LIMIT = 50

# How a field is overwritten: MARK takes the marker (required text), BLANK empties it,
# TEXT removes the person's names and addresses from free text, UNIQUE_EMAIL gives each
# row its own inert address (a unique constraint includes the field).
MARK, BLANK, TEXT, UNIQUE_EMAIL = "mark", "blank", "text", "unique_email"
# Shorter values (an initial, "-") would match unrelated free text.
MIN_NEEDLE = 3


@dataclass
class Holding:
    """One kind of row that holds the person's data: the live rows, the history rows and
    how each personal field is overwritten."""

    model: type[models.Model]
    live: list[models.Model]
    history_ids: list[int]
    fields: dict[str, str]
    # Rows found only because their free text mentions the person: only these columns
    # are theirs to export (the rest is about someone else).
    export_only: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def history_model(self) -> type[models.Model] | None:
        history = getattr(self.model, "history", None)
        return history.model if history is not None else None


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


def _mentions(field_name: str, needles: Iterable[str]) -> Q:
    needles = [n for n in needles if len(n) >= MIN_NEEDLE]
    if not needles:
        return Q(pk__in=[])
    return reduce(operator.or_, (Q(**{f"{field_name}__icontains": n}) for n in needles))


def _holding(
    model, live_qs, history_q: Q, fields: dict[str, str], export_only: tuple[str, ...] = ()
) -> Holding:
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
    return Holding(
        model=model, live=live, history_ids=history_ids, fields=fields, export_only=export_only
    )


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
    # The vendor's own outcome forms may name its owner in their notes.
    submission_ids = list(vendor.outcome_submissions.values_list("pk", flat=True))
    submission_q = Q(id__in=submission_ids) & _mentions("notes", needles)
    contact_q = Q(submission_id__in=submission_ids) & _mentions("notes", needles)
    holdings += [
        _holding(
            Submission,
            Submission.objects.filter(submission_q),
            submission_q,
            {"notes": TEXT},
            ("id", "vendor_id", "period_id", "notes"),
        ),
        _holding(
            Contact,
            Contact.objects.filter(contact_q),
            contact_q,
            {"notes": TEXT},
            ("id", "submission_id", "contacted_on", "notes"),
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


def holdings_of(subject: Subject) -> tuple[list[Holding], set[str]]:
    if isinstance(subject, Vendor):
        return _vendor_holdings(subject)
    return _city_contact_holdings(subject)
