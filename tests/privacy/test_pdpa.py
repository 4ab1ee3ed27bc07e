"""Personal data (PDPA): export all the portal holds on one person, and erase it without
changing a count, the KPI or a statistic."""

import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from cities.models import CityContact
from core.audit import save_audited
from core.models import PersonalDataErasure
from core.roles import Role
from meetings.models import CityPack, CityParticipant, PackParticipant, ParticipantNotice
from outcomes.figures import statistics_compute
from outcomes.kpi import kpi_compute
from outcomes.models import Contact, VendorLink
from privacy.services import erasure_marker, person_data_erase, person_data_export
from vendors.models import Vendor

from ..factories import CityContactFactory, VendorFactory
from ..outcomes.conftest import (  # noqa: F401  (fixtures)
    at,
    attend,
    buying_contact,
    make_session,
    seoul,
    submission_for,
    year,
)

pytestmark = pytest.mark.django_db

JAN_20 = dt.date(2026, 1, 20)
MINJI = {
    "name": "Kim Minji",
    "title": "Director of Trade",
    "email": "minji.kim@seoul.example",
    "old_email": "kim.m@oldmail.example",
    "phone": "+82 2 555 0101",
}
JISOO = {"name": "Park Jisoo", "email": "jisoo.park@seoul.example", "phone": "+82 2 555 0202"}
SOMCHAI = {
    "owner_name": "Somchai Jaidee",
    "contact_person": "Malee Jaidee",
    "email": "somchai@jaidee-shop.example",
    "old_email": "somchai.old@jaidee-shop.example",
    "phone": "081-555-0303",
    "line_id": "somchai.line",
    "website": "https://jaidee-shop.example/",
}
WICHAI = {"owner_name": "Wichai Sukjai", "email": "wichai@other.example"}
PERSONAL_MODELS = ("cities", "vendors", "meetings", "outcomes", "core", "notifications")


def notice(session, name, email):
    return ParticipantNotice.objects.create(
        session=session,
        kind=ParticipantNotice.Kind.INVITATION,
        recipient_name=name,
        recipient_email=email,
        language="en",
        time_zone="Asia/Seoul",
        session_starts_at=session.starts_at,
        status=ParticipantNotice.Status.SENT,
    )


@pytest.fixture
def world(year, seoul, sdo_user):  # noqa: F811
    session = make_session(year, 1, [seoul], dt.date(2026, 1, 15))
    later = make_session(year, 2, [seoul], dt.date(2026, 5, 20))

    minji = CityContactFactory(
        city=seoul, name=MINJI["name"], title=MINJI["title"], email=MINJI["old_email"]
    )
    minji.email, minji.phone = MINJI["email"], MINJI["phone"]
    save_audited(minji, acting_user=sdo_user, reason="new address")  # the old one is in history
    jisoo = CityContactFactory(
        city=seoul, name=JISOO["name"], email=JISOO["email"], phone=JISOO["phone"]
    )

    linked = CityParticipant.objects.create(session=session, city=seoul, contact=minji)
    free = CityParticipant.objects.create(
        session=later, city=seoul, name="M. Kim", email=MINJI["old_email"], title="Director"
    )
    other_participant = CityParticipant.objects.create(session=session, city=seoul, contact=jisoo)
    # As Seoul entered them on the pack's form, accepted by FAO.
    pack = CityPack.objects.create(session=later, city=seoul, expires_at=at(dt.date(2026, 5, 1)))
    PackParticipant.objects.create(
        pack=pack,
        name="M. Kim",
        email=MINJI["old_email"],
        language="ko",
        participant=free,
        status=PackParticipant.Status.ACCEPTED,
    )
    notice(session, MINJI["name"], MINJI["email"])
    notice(later, "M. Kim", MINJI["old_email"])
    notice(session, JISOO["name"], JISOO["email"])

    somchai = VendorFactory(
        **{k: v for k, v in SOMCHAI.items() if k != "email" and k != "old_email"},
        email=SOMCHAI["old_email"],
    )
    somchai.email = SOMCHAI["email"]
    save_audited(somchai, acting_user=sdo_user, reason="new e-mail")
    wichai = VendorFactory(owner_name=WICHAI["owner_name"], email=WICHAI["email"])
    for vendor in (somchai, wichai):
        attend(vendor, session)
    minji_contact = buying_contact(
        somchai,
        seoul,
        JAN_20,
        counterpart_name=MINJI["name"],
        counterpart_organisation="Seoul Trade Office",
        notes=f"Met {MINJI['name']} at the session; she wrote from {MINJI['email']}.",
    )
    jisoo_contact = buying_contact(wichai, seoul, JAN_20, counterpart_name=JISOO["name"])
    submission = submission_for(somchai, JAN_20)
    submission.notes = f"{SOMCHAI['owner_name'].upper()} phoned on 3 Feb from {SOMCHAI['phone']}."
    save_audited(submission, acting_user=sdo_user)
    link = VendorLink.objects.create(
        submission=submission_for(somchai, JAN_20),
        expires_at=at(dt.date(2026, 2, 1)),
        email=SOMCHAI["email"],
        email_status=VendorLink.EmailStatus.SENT,
    )
    return {
        "minji": minji,
        "jisoo": jisoo,
        "somchai": somchai,
        "wichai": wichai,
        "linked": linked,
        "free": free,
        "other_participant": other_participant,
        "minji_contact": minji_contact,
        "jisoo_contact": jisoo_contact,
        "link": link,
        "year": year,
    }


def tables_holding(value: str) -> set[str]:
    """Every live and history table with a text column that still holds `value`."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PERSONAL_MODELS:
            continue
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not text_fields:
            continue
        q = Q()
        for name in text_fields:
            q |= Q(**{f"{name}__icontains": value})
        if model._default_manager.filter(q).exists():
            found.add(model._meta.label_lower)
    return found


def figures(year):  # noqa: F811
    kpi = kpi_compute(year=year)
    statistics = [
        (
            r.city_id,
            r.category_id,
            r.fiscal_year,
            r.half,
            r.contacts,
            r.buying_contacts,
            r.products_contacted,
            r.orders,
            r.products_ordered,
            r.value_thb,
        )
        for r in statistics_compute([2569])
    ]
    counts = {
        m._meta.label_lower: m.objects.count()
        for m in (Vendor, CityContact, CityParticipant, ParticipantNotice, Contact, VendorLink)
    }
    return (kpi.participants, kpi.achieved, kpi.percent, kpi.sessions_held), statistics, counts


def dumped(data) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- export --------------------------------------------------------------------------------


def test_a_city_contact_export_holds_every_kind_of_row_and_nobody_else(world, fao_user):
    data = person_data_export(subject=world["minji"], acting_user=fao_user)
    records = {r["model"]: r for r in data["records"]}

    contact = records["cities.citycontact"]
    assert [row["email"] for row in contact["live"]] == [MINJI["email"]]
    assert [row["email"] for row in contact["history"]] == [MINJI["old_email"], MINJI["email"]]
    assert [row["history_type"] for row in contact["history"]] == ["+", "~"]

    participants = records["meetings.cityparticipant"]
    assert sorted(row["id"] for row in participants["live"]) == sorted(
        [world["linked"].pk, world["free"].pk]
    )
    assert {row["id"] for row in participants["history"]} == {
        world["linked"].pk,
        world["free"].pk,
    }
    assert [row["id"] for row in records["outcomes.contact"]["live"]] == [world["minji_contact"].pk]
    assert len(records["outcomes.contact"]["history"]) == 1
    assert sorted(r["recipient_email"] for r in records["meetings.participantnotice"]["live"]) == [
        MINJI["old_email"],
        MINJI["email"],
    ]
    assert data["subject"] == {
        "kind": "city_contact",
        "id": world["minji"].pk,
        "label": f"Seoul – city contact #{world['minji'].pk}",
    }

    text = dumped(data)
    for value in (JISOO["name"], JISOO["email"], JISOO["phone"], SOMCHAI["owner_name"]):
        assert value not in text
    # Staff who changed the rows are not part of the person's data.
    assert "history_user_id" not in text and "requested_by_id" not in text


def test_a_vendor_export_holds_the_vendor_its_history_and_its_mail(world, fao_user):
    data = person_data_export(subject=world["somchai"], acting_user=fao_user)
    records = {r["model"]: r for r in data["records"]}
    assert set(records) == {"vendors.vendor", "outcomes.vendorlink", "outcomes.submission"}
    # An outcome form is exported for its note about the owner, nothing else of it.
    submission = records["outcomes.submission"]
    assert [set(row) for row in submission["live"]] == [{"id", "vendor_id", "period_id", "notes"}]
    assert "SOMCHAI JAIDEE" in submission["live"][0]["notes"]
    assert [r["notes"] for r in submission["history"]] == ["", submission["live"][0]["notes"]]
    vendor = records["vendors.vendor"]
    assert vendor["live"][0]["owner_name"] == SOMCHAI["owner_name"]
    assert vendor["live"][0]["line_id"] == SOMCHAI["line_id"]
    assert [r["email"] for r in vendor["history"]] == [SOMCHAI["old_email"], SOMCHAI["email"]]
    assert records["outcomes.vendorlink"]["live"][0]["email"] == SOMCHAI["email"]

    text = dumped(data)
    for value in (WICHAI["owner_name"], WICHAI["email"], MINJI["name"], JISOO["email"]):
        assert value not in text


def test_fao_downloads_the_export_as_json_and_as_a_workbook(world, client_for, fao_user):
    client = client_for(fao_user)
    pk = world["minji"].pk
    response = client.get(reverse("privacy:pdpa-export-json", args=["city-contact", pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert f'filename="personal-data-city-contact-{pk}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["generated_by"] == fao_user.username
    assert MINJI["old_email"] in response.content.decode()

    response = client.get(reverse("privacy:pdpa-export-xlsx", args=["city-contact", pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[0] == "Person"
    assert "citycontact history" in workbook.sheetnames
    assert "cityparticipant current" in workbook.sheetnames
    values = {
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    # A phone number starting with + is written as text, never as a formula.
    assert {MINJI["email"], MINJI["old_email"], "'" + MINJI["phone"]} <= values
    assert JISOO["email"] not in values

    unknown = client.get(reverse("privacy:pdpa-export-json", args=["user", pk]))
    assert unknown.status_code == 404


# --- erasure -------------------------------------------------------------------------------


def test_erasing_a_city_contact_leaves_no_trace_and_the_same_figures(world, fao_user):
    before = figures(world["year"])
    assert before[0][:2] == (2, 2)  # both vendors met a buyer: the figures are not empty

    report = person_data_erase(
        subject=world["minji"], reason="Written request of 20 Nov", acting_user=fao_user
    )

    for value in (MINJI["name"], MINJI["email"], MINJI["old_email"], MINJI["phone"], "M. Kim"):
        assert tables_holding(value) == set(), value
    assert figures(world["year"]) == before

    marker = erasure_marker()
    minji = CityContact.objects.get(pk=world["minji"].pk)
    assert (minji.name, minji.email, minji.phone, minji.title) == (marker, "", "", "")
    assert {h.name for h in minji.history.all()} == {marker}
    linked = CityParticipant.objects.get(pk=world["linked"].pk)
    assert linked.contact_id == minji.pk and linked.session_id == world["linked"].session_id
    contact = Contact.objects.get(pk=world["minji_contact"].pk)
    assert contact.counterpart_name == marker
    assert contact.notes == f"Met {marker} at the session; she wrote from {marker}."
    assert (contact.about_buying, contact.city_id) == (True, world["minji_contact"].city_id)
    assert set(
        ParticipantNotice.objects.filter(recipient_name=marker).values_list(
            "recipient_email", flat=True
        )
    ) == {
        f"erased-{n.pk}@erased.invalid"
        for n in ParticipantNotice.objects.filter(recipient_name=marker)
    }

    # The other contact is untouched.
    assert tables_holding(JISOO["email"]) == {
        "cities.citycontact",
        "cities.historicalcitycontact",
        "meetings.participantnotice",
    }
    assert Contact.objects.get(pk=world["jisoo_contact"].pk).counterpart_name == JISOO["name"]

    assert report.rows_touched == {
        "cities.citycontact": {"live": 1, "history": 3},
        "meetings.cityparticipant": {"live": 2, "history": 4},
        "outcomes.contact": {"live": 1, "history": 2},
        "meetings.participantnotice": {"live": 2, "history": 0},
        "meetings.packparticipant": {"live": 1, "history": 0},
    }


def test_erasing_a_vendor_keeps_the_business_and_the_figures(world, fao_user):
    before = figures(world["year"])
    person_data_erase(subject=world["somchai"], reason="Owner asked", acting_user=fao_user)

    for key in ("owner_name", "contact_person", "email", "old_email", "phone", "line_id"):
        assert tables_holding(SOMCHAI[key]) == set(), key
    assert tables_holding("jaidee-shop.example") == set()
    assert figures(world["year"]) == before

    vendor = Vendor.objects.get(pk=world["somchai"].pk)
    assert vendor.business_name_en == world["somchai"].business_name_en
    assert vendor.certificate_number == world["somchai"].certificate_number
    assert (vendor.owner_name, vendor.email, vendor.website) == (erasure_marker(), "", "")
    assert VendorLink.objects.get(pk=world["link"].pk).email == ""
    notes = VendorLink.objects.get(pk=world["link"].pk).submission.notes
    assert notes == f"{erasure_marker()} phoned on 3 Feb from {erasure_marker()}."
    assert tables_holding(WICHAI["owner_name"]) == {"vendors.vendor", "vendors.historicalvendor"}


def test_the_erasure_is_audited_without_the_erased_values(world, fao_user):
    person_data_erase(subject=world["somchai"], reason="Owner asked", acting_user=fao_user)
    erasure = PersonalDataErasure.objects.get()
    assert (erasure.subject_kind, erasure.subject_id) == ("vendor", world["somchai"].pk)
    assert (erasure.performed_by, erasure.reason) == (fao_user, "Owner asked")
    assert erasure.rows_touched == {
        "vendors.vendor": {"live": 1, "history": 3},
        "outcomes.vendorlink": {"live": 1, "history": 0},
        "outcomes.submission": {"live": 1, "history": 3},
    }
    stored = dumped(
        {f.attname: str(getattr(erasure, f.attname)) for f in erasure._meta.concrete_fields}
    )
    assert SOMCHAI["owner_name"] not in stored and SOMCHAI["email"] not in stored
    latest = world["somchai"].history.latest()
    assert (latest.history_user, latest.history_change_reason) == (fao_user, "PDPA erasure")


def test_an_erasure_that_fails_half_way_changes_nothing(world, fao_user, monkeypatch):
    import privacy.services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy.services.PersonalDataErasure.objects, "create", broken)
    with pytest.raises(RuntimeError):
        person_data_erase(subject=world["minji"], reason="Request", acting_user=fao_user)
    assert tables_holding(MINJI["old_email"]) == {
        "cities.historicalcitycontact",
        "meetings.cityparticipant",
        "meetings.historicalcityparticipant",
        "meetings.packparticipant",
        "meetings.participantnotice",
    }


# --- pages ---------------------------------------------------------------------------------


def test_fao_finds_a_person_by_name_or_e_mail(world, client_for, fao_user):
    client = client_for(fao_user)
    response = client.get(reverse("privacy:pdpa"), {"q": "jaidee"})
    assert list(response.context["vendors"]) == [world["somchai"]]
    assert list(response.context["contacts"]) == []
    response = client.get(reverse("privacy:pdpa"), {"q": "SEOUL.example"})
    assert {c.pk for c in response.context["contacts"]} == {world["minji"].pk, world["jisoo"].pk}
    response = client.get(reverse("privacy:pdpa"), {"q": "nobody-at-all"})
    assert "Nobody matches this name or e-mail." in response.content.decode()


def test_the_erase_form_requires_a_reason_and_a_confirmation(world, client_for, fao_user):
    url = reverse("privacy:pdpa-erase", args=["city-contact", world["minji"].pk])
    client = client_for(fao_user)
    # Before confirming, FAO sees what the erasure will touch.
    assert client.get(url).context["summary"] == [
        ("city contacts", 1, 2),
        ("city participants", 2, 2),
        ("contacts", 1, 1),
        ("participant e-mails", 2, 0),
        ("participants entered by the city", 1, 0),
    ]
    response = client.post(url, {"reason": "   ", "confirm": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "reason": ["Give the reason for the erasure, such as the person's written request."]
    }
    response = client.post(url, {"reason": "Request"})
    assert response.context["form"].errors == {
        "confirm": ["Tick the box to confirm that the erasure cannot be undone."]
    }
    assert not PersonalDataErasure.objects.exists()
    assert CityContact.objects.get(pk=world["minji"].pk).name == MINJI["name"]

    th = client_for(fao_user, "th").post(url, {"reason": "", "confirm": "on"})
    with translation.override("th"):
        assert th.context["form"].errors["reason"] == [
            "โปรดระบุเหตุผลของการลบ เช่น คำขอเป็นหนังสือของเจ้าของข้อมูล"
        ]

    response = client.post(url, {"reason": "Written request", "confirm": "on"}, follow=True)
    assert response.redirect_chain == [(reverse("privacy:pdpa"), 302)]
    assert (
        "The personal data was erased from 16 rows; the records themselves remain."
        in response.content.decode()
    )
    assert PersonalDataErasure.objects.get().reason == "Written request"


@pytest.mark.parametrize("role", [Role.SDO, Role.SEO, Role.EXECUTIVE])
def test_only_fao_reaches_the_pages(world, client_for, users_by_role, role):
    client = client_for(users_by_role[role])
    pk = world["somchai"].pk
    for url in pdpa_urls(pk):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("privacy:pdpa-erase", args=["vendor", pk]), {"reason": "x", "confirm": "on"}
        ).status_code
        == 403
    )
    assert Vendor.objects.get(pk=pk).owner_name == SOMCHAI["owner_name"]


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for url in pdpa_urls(world["somchai"].pk):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_fao_sees_the_page_in_the_menu(client_for, fao_user, sdo_user):
    assert "Personal data (PDPA)" in client_for(fao_user).get(reverse("home")).content.decode()
    assert "Personal data (PDPA)" not in client_for(sdo_user).get(reverse("home")).content.decode()


def pdpa_urls(pk):
    return [
        reverse("privacy:pdpa"),
        reverse("privacy:pdpa-export-json", args=["vendor", pk]),
        reverse("privacy:pdpa-export-xlsx", args=["vendor", pk]),
        reverse("privacy:pdpa-erase", args=["vendor", pk]),
    ]


def search_queries(client, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("privacy:pdpa"), {"q": "Lamai"})
    return response


def test_the_search_page_costs_the_same_queries_for_1_or_20_people(
    client_for, fao_user, django_assert_max_num_queries
):
    client = client_for(fao_user)
    VendorFactory(owner_name="Lamai 0")
    CityContactFactory(name="Lamai 0")
    one = search_queries(client, django_assert_max_num_queries, 12)
    for i in range(1, 20):
        VendorFactory(owner_name=f"Lamai {i}")
        CityContactFactory(name=f"Lamai {i}")
    many = search_queries(client, django_assert_max_num_queries, 12)
    assert (len(one.context["vendors"]), len(many.context["vendors"])) == (1, 20)
    assert len(many.context["contacts"]) == 20


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_fao_erases_a_contact_in_the_browser(live_portal, make_user, password, seoul):  # noqa: F811
    from ..browser_support import ARTIFACTS, choose_language, follow, log_in

    make_user(Role.FAO, username="fao-browser")
    contact = CityContactFactory(city=seoul, name=MINJI["name"], email=MINJI["email"])
    page = live_portal
    log_in(page, "fao-browser", password)
    choose_language(page, "en")
    follow(page, "#user-menu")
    follow(page, "text=Personal data (PDPA)")
    page.fill("input[name=q]", "minji")
    follow(page, "#pdpa-search input[type=submit], #pdpa-search button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#pdpa-contacts tbody tr").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "pdpa-search-en.png"), full_page=True)

    follow(page, "#pdpa-contacts a:has-text('Erase')")
    # Blanks pass the browser's own check of a required field; the server refuses them.
    page.fill("textarea[name=reason]", "   ")
    page.check("input[name=confirm]")
    follow(page, "#pdpa-erase input[type=submit], #pdpa-erase button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Give the reason for the erasure" in page.content()
    page.fill("textarea[name=reason]", "Written request of 20 November")
    page.check("input[name=confirm]")
    page.screenshot(path=str(ARTIFACTS / "pdpa-erase-en.png"), full_page=True)
    follow(page, "#pdpa-erase input[type=submit], #pdpa-erase button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "The personal data was erased from 3 rows" in page.content()
    assert CityContact.objects.get(pk=contact.pk).name == erasure_marker()

    choose_language(page, "th")
    page.goto(f"{page.base_url}{reverse('privacy:pdpa')}?q=seoul")
    assert "ข้อมูลส่วนบุคคล (PDPA)" in page.content()
    assert "การลบที่ทำแล้ว" in page.content()


# --- every place a person is stored ---------------------------------------------------------

# A field whose name says it may hold a person's name, e-mail, phone or LINE ID.
PERSONAL_LOOKING = r"name|e?mail|phone|tel|line|contact|owner|person|recipient|counterpart"


def test_every_personal_looking_field_is_declared():
    """A new field named like personal data fails here until privacy/personal_fields.py says
    whether it is personal (and how it is found and erased) or why it is not."""
    import re

    from privacy.personal_fields import NOT_PERSONAL, PERSONAL_FIELDS, base_label

    undeclared = []
    for model in apps.get_models():
        if model._meta.app_label not in PERSONAL_MODELS:
            continue
        label = base_label(model)
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.CharField | models.TextField):
                continue
            if not re.search(PERSONAL_LOOKING, f.name):
                continue
            if f.name in PERSONAL_FIELDS.get(label, {}) or f.name in NOT_PERSONAL.get(label, {}):
                continue
            undeclared.append(f"{model._meta.label_lower}.{f.name}")
    assert undeclared == []


SEARCHED_ROWS = {
    "vendors.vendor": lambda w: w["wichai"],
    "outcomes.vendorlink": lambda w: w["link"],
    "cities.citycontact": lambda w: w["jisoo"],
    "meetings.cityparticipant": lambda w: w["free"],
    "meetings.packparticipant": lambda w: PackParticipant.objects.get(participant=w["free"]),
    "outcomes.contact": lambda w: w["jisoo_contact"],
    "buyers.lead": lambda w: _buyer_lead(w, "Park Seoyeon", "seoyeon@hanbit.example"),
}


def _buyer_lead(w, name: str, email: str):
    """A buyer who asked for contact from the showcase (issue #17), saved with history."""
    from buyers.models import Lead

    session = w["linked"].session
    lead = Lead(
        session=session,
        city=w["linked"].city,
        vendor=w["wichai"],
        name=name,
        company="Hanbit Trading",
        country="Korea",
        buyer_city="Seoul",
        email=email,
        phone="+82 10 5555 0101",
        messenger="kakaotalk",
        messenger_handle="seoyeon.p",
        interest=f"Scarves; please ask for {name}",
        language="ko",
        consented_at=timezone.now(),
        received_on=dt.date(2026, 2, 1),
        idempotency_key=f"pdpa-{email}",
    )
    save_audited(lead, acting_user=None)
    return lead


def test_a_buyer_is_found_exported_and_erased_with_their_other_requests(world, fao_user):
    from privacy.services import pdpa_search

    lead = _buyer_lead(world, "Park Seoyeon", "seoyeon@hanbit.example")
    again = _buyer_lead(world, "Park Seoyeon", "SEOYEON@hanbit.example")
    assert pdpa_search(query="seoyeon").buyers == [lead, again]
    data = person_data_export(subject=lead, acting_user=fao_user)
    assert data["subject"]["kind"] == "buyer"
    person_data_erase(subject=lead, reason="asked", acting_user=fao_user)
    assert tables_holding("Seoyeon") == set()
    assert tables_holding("+82 10 5555 0101") == set()


def _searchable():
    from privacy.personal_fields import PERSONAL_FIELDS, SEARCHED_KINDS

    for label, fields in PERSONAL_FIELDS.items():
        places = ["live"] + (["history"] if hasattr(apps.get_model(label), "history") else [])
        for name, kind in fields.items():
            if kind in SEARCHED_KINDS:
                for where in places:
                    yield pytest.param(label, name, where, id=f"{label}.{name}-{where}")


@pytest.mark.parametrize(("label", "field", "where"), list(_searchable()))
def test_the_search_finds_a_person_wherever_their_details_are(world, label, field, where):
    from privacy.services import pdpa_search

    assert label in SEARCHED_ROWS, f"add a row of {label} to SEARCHED_ROWS"
    row = SEARCHED_ROWS[label](world)
    value = f"zq{len(label)}{field.replace('_', '')}@found.example"
    model = type(row)
    if where == "live":
        model.objects.filter(pk=row.pk).update(**{field: value})
    else:
        # Only an earlier version still holds it.
        model.history.filter(id=row.pk).update(**{field: value})
    found = pdpa_search(query=value.upper()[:-8])
    assert found.subjects(), f"{label}.{field} ({where}) not found"


def test_a_participant_typed_in_by_hand_is_found_and_erased(world, fao_user):
    from privacy.services import pdpa_search

    stranger = CityParticipant.objects.create(
        session=world["linked"].session,
        city=world["linked"].city,
        name="Yoon Haneul",
        email="haneul@seoul-mall.example",
    )
    found = pdpa_search(query="haneul")
    assert list(found.participants) == [stranger]
    person_data_erase(subject=stranger, reason="asked", acting_user=fao_user)
    assert tables_holding("Haneul") == set()


def test_what_teams_reported_of_a_participant_is_erased_with_them(world, fao_user):
    # #13: the attendance read back from Teams names the participant, and a guest row
    # Teams could not match may carry the same address.
    from meetings.models import TeamsAttendance

    stranger = CityParticipant.objects.create(
        session=world["linked"].session,
        city=world["linked"].city,
        name="Yoon Haneul",
        email="haneul@seoul-mall.example",
    )
    session = stranger.session
    TeamsAttendance.objects.create(
        session=session, name="Yoon Haneul", match="name", city_participant=stranger
    )
    TeamsAttendance.objects.create(
        session=session, name="H. Yoon (phone)", email="HANEUL@seoul-mall.example", match="none"
    )
    person_data_erase(subject=stranger, reason="asked", acting_user=fao_user)
    assert tables_holding("Haneul") == set()
    assert TeamsAttendance.objects.count() == 2  # the rows stay, without the person


def test_a_buyer_recorded_as_a_counterpart_is_found_and_erased(world, fao_user):
    from privacy.services import pdpa_search

    buyer = buying_contact(
        world["wichai"], world["jisoo"].city, JAN_20, counterpart_name="Lee Dohyun"
    )
    found = pdpa_search(query="dohyun")
    assert [c.pk for c in found.counterparts] == [buyer.pk]
    person_data_erase(subject=buyer, reason="asked", acting_user=fao_user)
    assert tables_holding("Dohyun") == set()


def test_the_page_lists_participants_and_counterparts_in_thai_and_english(
    world, client_for, fao_user
):
    buyer = buying_contact(
        world["wichai"], world["jisoo"].city, JAN_20, counterpart_name="Kim Free"
    )
    url = reverse("privacy:pdpa")
    english = client_for(fao_user).get(url, {"q": "kim"}).content.decode()
    assert "Session participants typed in by hand" in english
    assert reverse("privacy:pdpa-erase", args=["city-participant", world["free"].pk]) in english
    assert "Counterparts in outcome forms" in english
    assert reverse("privacy:pdpa-erase", args=["counterpart", buyer.pk]) in english
    thai = client_for(fao_user, language="th").get(url, {"q": "kim"}).content.decode()
    assert "ผู้เข้าร่วมการประชุมที่กรอกเอง" in thai and "คู่ติดต่อในแบบรายงานผล" in thai
    erase = client_for(fao_user).get(reverse("privacy:pdpa-erase", args=["counterpart", buyer.pk]))
    assert "The counterpart's name and organisation are overwritten" in erase.content.decode()
