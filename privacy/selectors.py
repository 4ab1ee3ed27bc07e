"""Finding one person's data for the PDPA services (privacy.services): the live rows and the
history rows that hold it, and how each personal field is overwritten on erasure."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buyers.models import Lead
from cities.models import CityContact
from core.models import PersonalDataErasure
from meetings.models import CityParticipant, PackParticipant, ParticipantNotice, TeamsAttendance
from notifications.models import LineLink, OutboxMessage
from outcomes.models import Contact, Submission, VendorLink
from vendors.models import Vendor

from .personal_fields import searched_fields

Subject = Vendor | CityContact | CityParticipant | Contact | Lead
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
    kinds = PersonalDataErasure.SubjectKind
    if isinstance(subject, Vendor):
        return kinds.VENDOR
    if isinstance(subject, CityParticipant):
        return kinds.CITY_PARTICIPANT
    if isinstance(subject, Contact):
        return kinds.COUNTERPART
    if isinstance(subject, Lead):
        return kinds.BUYER
    return kinds.CITY_CONTACT


def subject_label(subject: Subject) -> str:
    """A label safe to keep after erasure: the business, or the city and the row id."""
    if isinstance(subject, Vendor):
        return f"{subject.business_name} ({subject.certificate_number})"
    if isinstance(subject, CityParticipant):
        return f"{subject.city} – {_('city participant')} #{subject.pk}"
    if isinstance(subject, Contact):
        return f"{subject.city} – {_('counterpart in an outcome form')} #{subject.pk}"
    if isinstance(subject, Lead):
        return f"{subject.city} – {_('buyer who asked for contact')} #{subject.pk}"
    return f"{subject.city} – {_('city contact')} #{subject.pk}"


# --- finding -------------------------------------------------------------------------------


@dataclass
class SearchResult:
    vendors: list[Vendor]
    contacts: list[CityContact]
    # Typed in by hand (or overriding their contact's details) for a session.
    participants: list[CityParticipant]
    # Buyers and business people named in the vendors' outcome forms.
    counterparts: list[Contact]
    # Buyers who asked for contact from the showcase (issue #17).
    buyers: list[Lead] = field(default_factory=list)

    def subjects(self) -> list[Subject]:
        return [
            *self.vendors,
            *self.contacts,
            *self.participants,
            *self.counterparts,
            *self.buyers,
        ]


def _matching(model, query: str, extra: tuple[str, ...] = (), pk_name: str = "id") -> Q:
    """The rows whose searched fields (privacy.personal_fields), now or in an earlier version,
    contain `query`, as subqueries: one query per kind of person whatever the matches."""
    names = [*searched_fields(model._meta.label_lower), *extra]
    q = reduce(operator.or_, (Q(**{f"{n}__icontains": query}) for n in names))
    found = Q(pk__in=model.objects.filter(q).values(pk_name))
    history = getattr(model, "history", None)
    if history is not None:
        found |= Q(pk__in=history.filter(q).values(pk_name))
    return found


def pdpa_search(*, query: str) -> SearchResult:
    """Everyone whose name, e-mail, phone or LINE ID (part of one) is `query`, in the
    current rows or in an earlier version of them (privacy.personal_fields lists the fields)."""
    query = query.strip()
    if len(query) < 2:
        return SearchResult([], [], [], [])
    vendors = list(
        Vendor.objects.filter(
            _matching(Vendor, query, ("business_name_th", "business_name_en"))
            | _matching(VendorLink, query, pk_name="submission__vendor_id")
        )
        .select_related("district")
        .order_by("business_name_th", "pk")[:SEARCH_LIMIT]
    )
    contacts = list(
        CityContact.objects.filter(_matching(CityContact, query))
        .select_related("city")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    # A participant chosen from the contacts is found as that contact, unless their own
    # details (typed in for the session) are what matched.
    found_contacts = {c.pk for c in contacts}
    participants = [
        p
        for p in CityParticipant.objects.filter(
            _matching(CityParticipant, query)
            # As the city entered them on its pack's form (accepted rows name the participant).
            | _matching(PackParticipant, query, pk_name="participant_id")
        )
        .select_related("city", "contact")
        .order_by("name", "pk")[:SEARCH_LIMIT]
        if p.contact_id is None or p.contact_id not in found_contacts
    ]
    counterparts = list(
        Contact.objects.filter(_matching(Contact, query))
        .select_related("city", "submission__vendor")
        .order_by("counterpart_name", "pk")[:SEARCH_LIMIT]
    )
    buyers = list(
        Lead.objects.filter(_matching(Lead, query))
        .select_related("city", "vendor")
        .order_by("name", "pk")[:SEARCH_LIMIT]
    )
    return SearchResult(vendors, contacts, participants, counterparts, buyers)


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


def _outbox_holding(q: Q) -> Holding:
    """Messages to the person, whatever the channel, by their row or their address."""
    return _holding(
        OutboxMessage,
        OutboxMessage.objects.filter(q),
        Q(pk__in=[]),
        {"recipient_name": MARK, "address": BLANK},
    )


def _teams_attendance_holding(linked: Q, emails: set[str], names: set[str]) -> Holding:
    """What Teams reported of the person: the rows matched to them, and any other row with
    their address or name (a guest Teams could not match)."""
    q = linked | _any_iexact("email", emails) | _any_iexact("name", names)
    return _holding(
        TeamsAttendance,
        TeamsAttendance.objects.filter(q),
        Q(pk__in=[]),
        {"name": MARK, "email": BLANK},
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
        _outbox_holding(
            Q(recipient_kind="vendor", recipient_id=vendor.pk) | _any_iexact("address", emails)
        ),
        _holding(
            LineLink, LineLink.objects.filter(vendor=vendor), Q(pk__in=[]), {"line_user_id": BLANK}
        ),
        _teams_attendance_holding(
            Q(shortlist_entry__vendor=vendor),
            emails,
            _values([vendor, *past], "owner_name", "contact_person"),
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
        _outbox_holding(_any_iexact("address", emails)),
        # The city may have entered them on a pack's form too, under the same address.
        _holding(
            PackParticipant,
            PackParticipant.objects.filter(_any_iexact("email", emails)),
            Q(pk__in=[]),
            {"name": MARK, "organisation": BLANK, "email": BLANK},
        ),
        _teams_attendance_holding(Q(city_participant__contact_id=contact.pk), emails, names),
    ]
    return holdings, needles


def _participant_holdings(participant: CityParticipant) -> tuple[list[Holding], set[str]]:
    """A participant typed in for a session: the row itself, every version of it, and the
    e-mails sent to its address."""
    past = list(CityParticipant.history.filter(id=participant.pk))
    emails = _values([participant, *past], "email")
    needles = _values([participant, *past], "name") | emails
    holdings = [
        _holding(
            CityParticipant,
            CityParticipant.objects.filter(pk=participant.pk),
            Q(id=participant.pk),
            {"name": MARK, "title": BLANK, "organisation": BLANK, "email": BLANK},
        ),
        _holding(
            ParticipantNotice,
            ParticipantNotice.objects.filter(_any_iexact("recipient_email", emails)),
            Q(pk__in=[]),
            {"recipient_name": MARK, "recipient_email": UNIQUE_EMAIL},
        ),
        _outbox_holding(_any_iexact("address", emails)),
        _teams_attendance_holding(
            Q(city_participant_id=participant.pk), emails, _values([participant, *past], "name")
        ),
        _holding(
            PackParticipant,
            PackParticipant.objects.filter(
                Q(participant_id=participant.pk)
                | (Q(pack__session_id=participant.session_id) & _any_iexact("email", emails))
            ),
            Q(pk__in=[]),
            {"name": MARK, "organisation": BLANK, "email": BLANK},
        ),
    ]
    return holdings, needles


def _counterpart_holdings(contact: Contact) -> tuple[list[Holding], set[str]]:
    """A buyer or business person in the outcome forms: every contact line of that city
    that names them (any vendor's), and every version of those lines."""
    past = list(Contact.history.filter(id=contact.pk))
    names = _values([contact, *past], "counterpart_name")
    same_person = Q(city_id=contact.city_id) & _any_iexact("counterpart_name", names)
    holdings = [
        _holding(
            Contact,
            Contact.objects.filter(same_person | Q(pk=contact.pk)),
            same_person | Q(id=contact.pk),
            {"counterpart_name": MARK, "counterpart_organisation": MARK, "notes": TEXT},
        )
    ]
    return holdings, names


def _buyer_holdings(lead: Lead) -> tuple[list[Holding], set[str]]:
    """A buyer of the showcase: every lead with their e-mail (or this one), every version
    of those leads, and the confirmations sent to them."""
    past = list(Lead.history.filter(id=lead.pk))
    emails = _values([lead, *past], "email")
    names = _values([lead, *past], "name", "phone", "messenger_handle")
    same_person = _any_iexact("email", emails) | Q(pk=lead.pk)
    holdings = [
        _holding(
            Lead,
            Lead.objects.filter(same_person),
            _any_iexact("email", emails) | Q(id=lead.pk),
            {
                "name": MARK,
                "email": BLANK,
                "phone": BLANK,
                "messenger_handle": BLANK,
                "company": BLANK,
                "buyer_city": BLANK,
                "interest": TEXT,
                "quantity": TEXT,
                "notes": TEXT,
            },
        ),
        _outbox_holding(_any_iexact("address", emails)),
    ]
    return holdings, names | emails


def holdings_of(subject: Subject) -> tuple[list[Holding], set[str]]:
    if isinstance(subject, Lead):
        return _buyer_holdings(subject)
    if isinstance(subject, Vendor):
        return _vendor_holdings(subject)
    if isinstance(subject, CityParticipant):
        return _participant_holdings(subject)
    if isinstance(subject, Contact):
        return _counterpart_holdings(subject)
    return _city_contact_holdings(subject)
