"""A form sent twice changes things once (#11 item 11): each form carries a one-time
token (core/once.py); the repeat goes where the first one went and says so."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from core.models import FormSubmission
from core.once import FIELD
from tests.html_forms import forms_of

from ..matrix_fixtures import world  # noqa: F401  (fixture)

REPEATED_EN = "This form had already been sent: nothing was changed the second time."
REPEATED_TH = "ส่งแบบฟอร์มนี้ไปแล้ว: การส่งครั้งที่สองไม่ได้เปลี่ยนแปลงสิ่งใด"


def _form(client, url: str, pick):
    html = client.get(url).content.decode()
    (form,) = [f for f in forms_of(html, url) if pick(f)]
    form.page = f"http://testserver{url}"
    assert FIELD in form.names(), "the form carries no one-time token"
    return form


def _send(client, form, **changes):
    data = {**form.data(), **{k: [v] for k, v in changes.items()}}
    return client.post(form.action, data, HTTP_REFERER=form.page)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _twice(client, form, *, page: str = "", **changes):
    """Sends the form twice; the repeat goes where the first went (or, after a page that
    showed what was made, back to the form's page)."""
    first = _send(client, form, **changes)
    second = _send(client, form, **changes)
    assert second.status_code == 302
    if page:
        assert first.status_code == 200
        assert second["Location"] == page
    else:
        assert first.status_code == 302, first.content.decode()[-2000:]
        assert second["Location"] == first["Location"]
    assert _messages(second)[-1] == REPEATED_EN
    return first, second


@pytest.mark.django_db
def test_a_double_click_makes_one_report_version(world):  # noqa: F811
    from reports.models import ReportGeneration

    client = world.clients["fao"]
    url = reverse("reports:session", args=[world.held_session.pk])
    form = _form(client, url, lambda f: f.action.endswith(url) and f.method == "post")
    before = ReportGeneration.objects.count()
    _twice(client, form, language="en")
    assert ReportGeneration.objects.count() == before + 1


@pytest.mark.django_db
def test_a_double_click_makes_one_vendor_link(world):  # noqa: F811
    from outcomes.models import VendorLink

    client = world.clients["sdo"]
    action = reverse("outcomes:vendor-link-create", args=[world.submission.pk])
    url = reverse("outcomes:submission-detail", args=[world.submission.pk])
    form = _form(client, url, lambda f: f.action.endswith(action))
    before = VendorLink.objects.count()
    _twice(client, form, page=f"http://testserver{url}", email="", days="14")
    assert VendorLink.objects.count() == before + 1


@pytest.mark.django_db
def test_a_double_click_adds_one_participant(world):  # noqa: F811
    from meetings.models import CityParticipant

    client = world.clients["seo"]
    url = reverse("meetings:session-participants", args=[world.planned_session.pk])
    city = world.planned_session.cities.first() or world.attachment.letter.city
    world.planned_session.cities.add(city)
    form = _form(client, url, lambda f: f.attrs.get("id") == "city-form")
    before = CityParticipant.objects.count()
    _twice(
        client,
        form,
        **{
            "city-city": str(city.pk),
            "city-name": "Park Ji-min",
            "city-email": "park@example.org",
            "city-language": "en",
        },
    )
    assert CityParticipant.objects.count() == before + 1


@pytest.mark.django_db
def test_the_repeat_message_speaks_thai(world):  # noqa: F811
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(world.users["sdo"])
    action = reverse("outcomes:vendor-link-create", args=[world.submission.pk])
    url = reverse("outcomes:submission-detail", args=[world.submission.pk])
    form = _form(client, url, lambda f: f.action.endswith(action))
    _send(client, form, email="", days="14")
    second = _send(client, form, email="", days="14")
    assert _messages(second)[-1] == REPEATED_TH


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_can_be_sent_again(client_for, fao_user):
    client = client_for(fao_user)
    url = reverse("meetings:year-plan")
    form = _form(client, url, lambda f: f.action.endswith(url) and f.method == "post")
    refused = _send(client, form, fiscal_year="12")
    assert refused.status_code == 200
    assert not FormSubmission.objects.exists()  # nothing changed: the claim is let go
    again = _send(client, form, fiscal_year="12")
    assert again.status_code == 200
    assert REPEATED_EN not in again.content.decode()


@pytest.mark.django_db
def test_a_repeat_while_the_first_still_runs_waits_then_goes_to_the_form(
    client_for, fao_user, settings
):
    settings.FORM_ONCE_WAIT_SECONDS = 0.3
    FormSubmission.objects.create(token="t" * 32, path="/meetings/years/plan/")
    response = client_for(fao_user).post(
        reverse("meetings:year-plan"),
        {FIELD: "t" * 32, "fiscal_year": "2580"},
        HTTP_REFERER="http://testserver/meetings/years/plan/",
    )
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/meetings/years/plan/"
    assert _messages(response) == [REPEATED_EN]


@pytest.mark.django_db
def test_every_csrf_token_tag_writes_a_fresh_token():
    template = engines["django"].from_string("<form>{% csrf_token %}</form>")
    request = RequestFactory().get("/")
    first, second = template.render({}, request), template.render({}, request)
    assert f'name="{FIELD}"' in first
    assert first != second


# --- every form of the portal, sent twice ----------------------------------------------


def _state() -> dict[str, int]:
    """How many rows each table holds, history tables included (an update adds a
    historical row), minus the bookkeeping a request may write."""
    from django.apps import apps

    skipped = {"sessions.session", "core.formsubmission", "axes.accesslog", "axes.accessattempt"}
    return {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in skipped and not model._meta.proxy
    }


def _post_forms_of(client, url: str):
    from tests.test_hostile_input_sweep import SKIPPED_ACTIONS

    response = client.get(url)
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    return [
        f
        for f in forms_of(response.content.decode(), url)
        if f.method == "post" and not f.action.split("?", 1)[0].endswith(SKIPPED_ACTIONS)
    ]


def _pages():
    from tests.test_hostile_input_sweep import PAGES

    return PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("name", _pages())
def test_every_form_sent_twice_changes_nothing_the_second_time(world, name):  # noqa: F811
    from tests.test_hostile_input_sweep import _role_for
    from tests.test_url_matrix import EXPECTED, _url

    client = world.clients[_role_for(EXPECTED[name])]
    url = _url(name, world)
    for index, form in enumerate(_post_forms_of(client, url)):
        assert FIELD in form.names(), f"form {index} of {url} ({form.action}) has no token"
        data = form.data()
        first = client.post(form.action, data, HTTP_REFERER=f"http://testserver{url}")
        after_first = _state()
        second = client.post(form.action, data, HTTP_REFERER=f"http://testserver{url}")
        assert second.status_code < 500
        assert _state() == after_first, f"{form.action} changed something the second time"
        if first.status_code in (301, 302, 303):
            assert second.status_code == 302 and second["Location"] == first["Location"]
