"""Dates in the admin: typed in BE or CE, stored in CE, shown in BE in Thai and in CE in
English, in inputs, change lists and history pages (issue 11, item 1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from cities.models import InquiryLetter
from outcomes.models import ReportingPeriod

from ..factories import InquiryLetterFactory, ReportingPeriodFactory, SisterCityFactory
from ..html_forms import form_values

pytestmark = pytest.mark.django_db

THAI_HINT = "วว/ดด/ปปปป (พ.ศ.) เช่น 23/11/2569"
ENGLISH_HINT = "dd/mm/yyyy, for example 23/11/2026"


def _input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input named {name}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _change_list_rows(html: str, *columns: str) -> str:
    """The cells of these columns in a change list's result table, one per line."""
    match = re.search(r'<table id="result_list".*?</table>', html, re.S)
    assert match, "no result table"
    cells = re.findall(r'<t[dh] class="field-([\w]+)[^"]*">(.*?)</t[dh]>', match.group(0), re.S)
    return "\n".join(text for column, text in cells if column in columns)


def _post_letter_add(client, city, sent_on: str):
    add_url = reverse("admin:cities_inquiryletter_add")
    data = form_values(client.get(add_url).content.decode(), "inquiryletter_form")
    data.update({"city": str(city.pk), "fiscal_year": "2570", "sent_on": sent_on})
    data["signed_by"] = "ผู้อำนวยการสำนักงานการต่างประเทศ"
    return client.post(add_url, data)


def test_a_be_date_typed_in_the_thai_admin_is_stored_in_ce_and_listed_in_be(client_for, fao_user):
    client = client_for(fao_user, "th")
    city = SisterCityFactory()
    response = _post_letter_add(client, city, "10/11/2569")
    assert response.status_code == 302, response.context and response.context["errors"]
    letter = InquiryLetter.objects.get(city=city)
    assert letter.sent_on == dt.date(2026, 11, 10)

    rows = _change_list_rows(
        client.get(reverse("admin:cities_inquiryletter_changelist")).content.decode(),
        "sent_on",
        "replied_on",
    )
    assert "10 พฤศจิกายน 2569" in rows
    assert "3112" not in rows and "2026" not in rows


def test_the_english_admin_takes_a_ce_or_be_year_and_lists_ce(client_for, fao_user):
    client = client_for(fao_user, "en")
    city = SisterCityFactory()
    assert _post_letter_add(client, city, "10/11/2026").status_code == 302
    other = SisterCityFactory()
    assert _post_letter_add(client, other, "11/11/2569").status_code == 302
    assert InquiryLetter.objects.get(city=city).sent_on == dt.date(2026, 11, 10)
    assert InquiryLetter.objects.get(city=other).sent_on == dt.date(2026, 11, 11)

    rows = _change_list_rows(
        client.get(reverse("admin:cities_inquiryletter_changelist")).content.decode(),
        "sent_on",
        "replied_on",
    )
    assert "10 November 2026" in rows and "11 November 2026" in rows
    assert "2569" not in rows


@pytest.mark.parametrize(
    ("language", "shown", "hint"),
    [("th", "10/11/2569", THAI_HINT), ("en", "10/11/2026", ENGLISH_HINT)],
)
def test_the_date_input_shows_the_reader_s_year_and_a_hint_and_resaves_unchanged(
    client_for, fao_user, language, shown, hint
):
    letter = InquiryLetterFactory(
        sent_on=dt.date(2026, 11, 10), reply="accepted", replied_on=dt.date(2027, 1, 5)
    )
    client = client_for(fao_user, language)
    change_url = reverse("admin:cities_inquiryletter_change", args=[letter.pk])
    html = client.get(change_url).content.decode()
    assert _input_value(html, "sent_on") == shown
    assert _input_value(html, "replied_on") == ("05/01/2570" if language == "th" else "05/01/2027")
    assert hint in html
    # The letter's name, in the title and breadcrumbs, dates it as the reader does.
    named = "(10 พ.ย. 2569)" if language == "th" else "(10/11/2026)"
    assert named in html and "2026-11-10" not in html

    response = client.post(change_url, form_values(html, "inquiryletter_form"))
    assert response.status_code == 302, response.context and response.context["errors"]
    letter.refresh_from_db()
    assert (letter.sent_on, letter.replied_on) == (dt.date(2026, 11, 10), dt.date(2027, 1, 5))


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("th", "ไม่มีวันที่ 31/02/2569: เดือนกุมภาพันธ์ 2569 มี 28 วัน"),
        ("en", "31/02/2569 does not exist: February 2026 has 28 days."),
    ],
)
def test_an_impossible_date_in_the_admin_is_said_not_to_exist(
    client_for, fao_user, language, message
):
    """Issue 16 item 12: not the format message, which would send FAO hunting for a typo."""
    client = client_for(fao_user, language)
    response = _post_letter_add(client, SisterCityFactory(), "31/02/2569")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["sent_on"] == [message]
    assert not InquiryLetter.objects.exists()


def test_a_reporting_period_s_due_and_lock_dates_typed_in_be_are_stored_in_ce(client_for, fao_user):
    period = ReportingPeriodFactory(fiscal_year=2570, half=1)
    client = client_for(fao_user, "th")
    change_url = reverse("admin:outcomes_reportingperiod_change", args=[period.pk])
    data = form_values(client.get(change_url).content.decode(), "reportingperiod_form")
    data.update({"due_on": "15/04/2570", "locked_on": "15/05/2570"})
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    period.refresh_from_db()
    assert (period.due_on, period.locked_on) == (dt.date(2027, 4, 15), dt.date(2027, 5, 15))

    rows = _change_list_rows(
        client.get(reverse("admin:outcomes_reportingperiod_changelist")).content.decode(),
        "due_on",
        "locked_on",
    )
    assert "15 เมษายน 2570" in rows and "15 พฤษภาคม 2570" in rows
    assert "2027" not in rows and "3113" not in rows

    english = client_for(fao_user, "en")
    rows = _change_list_rows(
        english.get(reverse("admin:outcomes_reportingperiod_changelist")).content.decode(),
        "due_on",
        "locked_on",
    )
    assert "15 April 2027" in rows and "15 May 2027" in rows and "2570" not in rows


def test_a_new_reporting_period_added_in_be(client_for, fao_user):
    client = client_for(fao_user, "th")
    add_url = reverse("admin:outcomes_reportingperiod_add")
    data = form_values(client.get(add_url).content.decode(), "reportingperiod_form")
    data.update(
        {"fiscal_year": "2571", "half": "2", "due_on": "15/10/2571", "locked_on": "15/11/2571"}
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    period = ReportingPeriod.objects.get(fiscal_year=2571, half=2)
    assert (period.due_on, period.locked_on) == (dt.date(2028, 10, 15), dt.date(2028, 11, 15))


def test_a_date_time_in_the_admin_shows_and_takes_be(client_for):
    """Django's own user admin: last login and date joined are split date/time inputs."""
    user = get_user_model().objects.create_user(
        "somchai",
        "somchai@bangkok.go.th",
        date_joined=dt.datetime(2027, 3, 1, 2, 30, tzinfo=dt.UTC),
    )
    # FAO manages people through the portal; the user admin is the superuser's.
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client = client_for(root, "th")
    change_url = reverse("admin:auth_user_change", args=[user.pk])
    html = client.get(change_url).content.decode()
    assert _input_value(html, "date_joined_0") == "01/03/2570"  # 09:30 in Bangkok
    assert _input_value(html, "date_joined_1") == "09:30:00"
    assert THAI_HINT in html

    data = form_values(html, "user_form")
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    user.refresh_from_db()
    assert user.date_joined == dt.datetime(2027, 3, 1, 2, 30, tzinfo=dt.UTC)

    # A second change is a new visit to the page (each form carries a one-time token).
    data = form_values(client.get(change_url).content.decode(), "user_form")
    data.update({"date_joined_0": "02/03/2570", "date_joined_1": "10:00"})
    assert client.post(change_url, data).status_code == 302
    user.refresh_from_db()
    assert user.date_joined == dt.datetime(2027, 3, 2, 3, 0, tzinfo=dt.UTC)


def test_a_thai_change_list_of_date_times_shows_be_years(client_for, fao_user):
    from core.models import WorkerPing

    ping = WorkerPing.objects.create(worker_hostname="worker-1")
    WorkerPing.objects.filter(pk=ping.pk).update(
        requested_at=dt.datetime(2027, 4, 15, 2, 0, tzinfo=dt.UTC),
        answered_at=dt.datetime(2027, 4, 15, 2, 1, tzinfo=dt.UTC),
    )
    rows = _change_list_rows(
        client_for(fao_user, "th")
        .get(reverse("admin:core_workerping_changelist"))
        .content.decode(),
        "requested_at",
        "answered_at",
    )
    assert "15 เมษายน 2570, 9:00" in rows and "15 เมษายน 2570, 9:01" in rows
    assert "2027" not in rows


def test_a_thai_history_page_shows_be_years(client_for, fao_user):
    letter = InquiryLetterFactory(sent_on=dt.date(2026, 11, 10))
    letter.history.update(history_date=dt.datetime(2027, 4, 15, 2, 0, tzinfo=dt.UTC))
    html = (
        client_for(fao_user, "th")
        .get(reverse("admin:cities_inquiryletter_history", args=[letter.pk]))
        .content.decode()
    )
    assert "15 เมษายน 2570, 9:00" in html
    assert "2027" not in html


def _date_form_fields(model_admin, request):
    form = model_admin.get_form(request, None)
    yield from ((model_admin, name, field) for name, field in form.base_fields.items())
    for inline in model_admin.get_inline_instances(request, None):
        formset = inline.get_formset(request, None)
        yield from ((inline, name, field) for name, field in formset.form.base_fields.items())


def test_every_admin_form_and_inline_takes_be_dates(fao_user):
    """A new admin (or inline) gets the BE date fields without asking for them."""
    from core.forms import BEDateField, BESplitDateTimeField

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    plain = []
    checked = 0
    for model_admin in admin.site._registry.values():
        for owner, name, field in _date_form_fields(model_admin, request):
            db_field = next(
                (f for f in owner.model._meta.fields if f.name == name),
                None,
            )
            if isinstance(db_field, models.DateTimeField):
                checked += 1
                if not isinstance(field, BESplitDateTimeField):
                    plain.append(f"{owner.model._meta.label}.{name}")
            elif isinstance(db_field, models.DateField):
                checked += 1
                if not isinstance(field, BEDateField):
                    plain.append(f"{owner.model._meta.label}.{name}")
    assert checked >= 5
    assert plain == []


def test_a_date_hierarchy_titles_years_as_the_reader_counts_them():
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {
        "show": True,
        "back": {"link": "?", "title": "2027"},
        "choices": [{"link": "?y=2027", "title": "2027"}, {"link": "?m=4", "title": "April"}],
    }
    with translation.override("th"):
        thai = render_to_string("admin/date_hierarchy.html", context)
    with translation.override("en"):
        english = render_to_string("admin/date_hierarchy.html", context)
    assert (
        "&lsaquo; 2570</a>" in thai
        and ">2570</a>" in thai
        and "2027" not in thai.replace("?y=2027", "")
    )
    assert ">2027</a>" in english and ">April</a>" in english
