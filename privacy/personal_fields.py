"""Where the portal stores personal data: every field of every model that holds a person's
name, e-mail, phone, LINE ID or free text about them, and how it is found and erased.

The PDPA search (privacy.selectors) looks in the fields of the SEARCHED_KINDS, live and in
their django-simple-history tables; the erasure overwrites every field listed. A field
whose name looks personal (tests/privacy/test_pdpa.py) must be declared here, in
PERSONAL_FIELDS or, with the reason, in NOT_PERSONAL.
"""

from __future__ import annotations

from django.db import models

# What a field holds. NAME, EMAIL, PHONE and LINE identify a person and are searched;
# DETAIL (title, organisation, website) describes them and is erased with them; TEXT is free
# text that may mention them (their values are replaced inside it); COPY repeats another
# row's value (found through that row, erased with it).
NAME, EMAIL, PHONE, LINE, DETAIL, TEXT, COPY = (
    "name",
    "email",
    "phone",
    "line",
    "detail",
    "text",
    "copy",
)
SEARCHED_KINDS = frozenset({NAME, EMAIL, PHONE, LINE})

PERSONAL_FIELDS: dict[str, dict[str, str]] = {
    "vendors.vendor": {
        "owner_name": NAME,
        "contact_person": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "line_id": LINE,
        "website": DETAIL,
    },
    # SDO may send a vendor's link to an address other than the vendor record's.
    "outcomes.vendorlink": {"email": EMAIL},
    "cities.citycontact": {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "title": DETAIL,
        "organisation": DETAIL,
    },
    # A participant typed in by hand has only these; one chosen from the contacts may
    # override them.
    "meetings.cityparticipant": {
        "name": NAME,
        "email": EMAIL,
        "title": DETAIL,
        "organisation": DETAIL,
    },
    # A participant a sister city entered on its coordination pack's form, until FAO
    # accepts them (then a city participant as well) or rejects them.
    "meetings.packparticipant": {
        "name": NAME,
        "email": EMAIL,
        "organisation": DETAIL,
    },
    # A buyer or business person a vendor dealt with, as the vendor reported them.
    "outcomes.contact": {
        "counterpart_name": NAME,
        "counterpart_organisation": DETAIL,
        "notes": TEXT,
    },
    "outcomes.submission": {"notes": TEXT},
    # The e-mail sent to a participant or contact: found through them (same address).
    "meetings.participantnotice": {"recipient_name": COPY, "recipient_email": COPY},
    # Every outgoing message: the vendor's, participant's or user's name and address (or
    # the LINE userId LINE gave for the vendor), found through that person's row.
    "notifications.outboxmessage": {"recipient_name": COPY, "address": COPY},
    "notifications.linelink": {"line_user_id": COPY},
    # Who Teams reported in a session's meeting: found through the participant, vendor or
    # city contact it names (same address or name).
    "meetings.teamsattendance": {"name": COPY, "email": COPY},
    # A buyer who asked to be contacted from the showcase (issue #17).
    "buyers.lead": {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "messenger_handle": LINE,
        "company": DETAIL,
        "buyer_city": DETAIL,
        "interest": TEXT,
        "quantity": TEXT,
        "notes": TEXT,
    },
}

NOT_PERSONAL: dict[str, dict[str, str]] = {
    "vendors.vendor": {
        "business_name_th": "the business, which stays after an erasure",
        "business_name_en": "the business, which stays after an erasure",
    },
    "vendors.product": {"name_th": "a product", "name_en": "a product"},
    "vendors.producttranslation": {"buyer_name": "a product, in a buyer's language"},
    "vendors.productcategory": {"name_th": "reference data", "name_en": "reference data"},
    "vendors.district": {"name_th": "reference data", "name_en": "reference data"},
    "vendors.language": {"name_th": "reference data", "name_en": "reference data"},
    "vendors.vendorimportjob": {
        "original_name": "the uploaded file's name; the file is kept UPLOAD_RETENTION_DAYS"
    },
    "cities.sistercity": {"name_th": "a city", "name_en": "a city"},
    "cities.cooperationfield": {"name_th": "reference data", "name_en": "reference data"},
    "meetings.session": {"organizer_mailbox": "the portal's own Teams mailbox"},
    "meetings.agendaitem": {"title_th": "an agenda item", "title_en": "an agenda item"},
    "outcomes.contact": {"counterpart_kind": "business, customer or other: no person"},
    "outcomes.vendorlink": {
        "email_status": "delivery state",
        "email_last_error": "the mail server's answer",
    },
    "outcomes.remindernotice": {"recipients": "SDO staff: portal users, not data subjects"},
    "outcomes.outcomeupload": {
        "original_name": "the uploaded file's name; the file is kept UPLOAD_RETENTION_DAYS"
    },
    "core.workerping": {"worker_hostname": "a machine"},
    "notifications.outboxmessage": {"recipient_kind": "vendor, participant, user: no person"},
    "core.personaldataerasure": {"subject_kind": "vendor, city contact, ..."},
    "buyers.lead": {
        "country": "a country",
        "messenger": "which app: KakaoTalk, LINE, WeChat",
        "language": "a language code",
    },
}


def base_label(model: type[models.Model]) -> str:
    """The model a history model records (its declarations cover both)."""
    instance_type = getattr(model, "instance_type", None)  # simple_history's models
    return (instance_type or model)._meta.label_lower


def searched_fields(label: str) -> list[str]:
    return [n for n, kind in PERSONAL_FIELDS.get(label, {}).items() if kind in SEARCHED_KINDS]
