"""The pages: each role sees and does what its part allows; lists keep their query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from meetings.models import ProgrammeYear, Session, TeamsMeetingRequest, WorkPlanStep
from meetings.services.people import bma_participant_add
from meetings.services.sessions import connection_test_schedule, session_schedule
from meetings.services.workplan import workplan_create_for_session

from ..factories import (
    ProgrammeYearFactory,
    SessionFactory,
    ShortlistEntryFactory,
    SisterCityFactory,
    VendorFactory,
)
from .factories import BMAParticipantFactory, CityParticipantFactory
from .support import next_fiscal_year

pytestmark = pytest.mark.django_db

FAO, SDO, SEO, EXE = Role.FAO, Role.SDO, Role.SEO, Role.EXECUTIVE
EVERYONE = {FAO, SDO, SEO, EXE}
RUNNERS = {FAO, SEO}


def session_pages(session: Session) -> list[tuple[str, set[Role]]]:
    pk = session.pk
    fy = session.year.fiscal_year
    return [
        (reverse("meetings:year-list"), EVERYONE),
        (reverse("meetings:year-plan"), {FAO}),
        (reverse("meetings:year-detail", args=[fy]), EVERYONE),
        (reverse("meetings:year-timeline", args=[fy]), EVERYONE),
        (reverse("meetings:year-calendar", args=[fy]), EVERYONE),
        (reverse("meetings:session-detail", args=[pk]), EVERYONE),
        (reverse("meetings:session-calendar", args=[pk]), EVERYONE),
        (reverse("meetings:session-details", args=[pk]), {FAO}),
        (reverse("meetings:session-vendors", args=[pk]), {FAO}),
        (reverse("meetings:session-cancel", args=[pk]), {FAO}),
        (reverse("meetings:session-reschedule", args=[pk]), RUNNERS),
        (reverse("meetings:connection-test", args=[pk]), RUNNERS),
        (reverse("meetings:connection-test-done", args=[pk]), RUNNERS),
        (reverse("meetings:connection-test-waive", args=[pk]), RUNNERS),
        (reverse("meetings:connection-test-cancel", args=[pk]), RUNNERS),
        (reverse("meetings:session-held", args=[pk]), RUNNERS),
        (reverse("meetings:session-participants", args=[pk]), RUNNERS),
        (reverse("meetings:session-agenda", args=[pk]), RUNNERS),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_each_page_answers_each_role(role, confirmed_session, make_user, client_for):
    client = client_for(make_user(role))
    for url, allowed in session_pages(confirmed_session):
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (url, role, status)


def test_anonymous_visitors_go_to_the_login_page(confirmed_session, client):
    for url, _allowed in session_pages(confirmed_session):
        response = client.get(url)
        if url.endswith(".ics") and "years" in url:
            assert response.status_code == 403  # a feed without a valid token
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("role", "status"), [(FAO, 302), (SEO, 403), (SDO, 403), (EXE, 403)])
def test_only_fao_invites_the_cities(role, status, planned_year, seoul, make_user, client_for):
    session = planned_year.sessions.get(number=1)
    session.cities.add(seoul)
    url = reverse("meetings:session-status", args=[session.pk, "invite"])
    assert client_for(make_user(role)).post(url).status_code == status
    session.refresh_from_db()
    assert (session.status == Session.Status.CITY_INVITED) is (status == 302)


@pytest.mark.parametrize(("role", "status"), [(FAO, 302), (SEO, 302), (SDO, 403), (EXE, 403)])
def test_fao_and_seo_schedule_the_teams_meeting(
    role, status, confirmed_session, make_user, client_for, django_capture_on_commit_callbacks
):
    url = reverse("meetings:session-schedule", args=[confirmed_session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(make_user(role)).post(url, follow=status == 302)
    if status == 302:
        assert "The Teams meeting of the session is requested." in response.content.decode()
        assert TeamsMeetingRequest.objects.get().status == "succeeded"
    else:
        assert response.status_code == 403
        assert not TeamsMeetingRequest.objects.exists()


def test_a_refusal_is_shown_as_a_message(planned_year, fao_user, client_for):
    session = planned_year.sessions.get(number=1)
    url = reverse("meetings:session-status", args=[session.pk, "invite"])
    response = client_for(fao_user).post(url, follow=True)
    assert "Choose the sister cities before inviting them." in response.content.decode()
    thai = client_for(fao_user, language="th").post(url, follow=True).content.decode()
    assert "เลือกเมืองพี่เมืองน้องก่อนส่งหนังสือเชิญ" in thai


def test_fao_plans_a_year_in_the_browser_form(fao_user, client_for):
    fy = next_fiscal_year()
    response = client_for(fao_user).post(
        reverse("meetings:year-plan"),
        {
            "fiscal_year": str(fy),
            "month_1": "1",
            "month_2": "5",
            "month_3": "9",
            "vendors_per_session": "5",
            "session_minutes": "150",
        },
        follow=True,
    )
    year = ProgrammeYear.objects.get(fiscal_year=fy)
    assert f"FY {fy}" in response.content.decode()
    assert "is planned with 3 sessions." in response.content.decode()
    assert year.vendors_per_session == 5 and year.session_minutes == 150
    assert [s.ends_at - s.starts_at for s in year.sessions.all()] == [dt.timedelta(minutes=150)] * 3


def test_two_sessions_cannot_share_a_month(fao_user, client_for):
    response = client_for(fao_user).post(
        reverse("meetings:year-plan"),
        {
            "fiscal_year": str(next_fiscal_year()),
            "month_1": "1",
            "month_2": "1",
            "month_3": "9",
            "vendors_per_session": "3",
            "session_minutes": "120",
        },
    )
    assert "Two sessions cannot share a month." in response.content.decode()
    assert not ProgrammeYear.objects.exists()


def test_the_session_page_shows_each_city_time(confirmed_session, executive_user, client_for):
    text = (
        client_for(executive_user)
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
    )
    start = timezone.localtime(confirmed_session.starts_at)
    seoul_start = start + dt.timedelta(hours=2)
    assert f"{start:%H:%M}–{start + dt.timedelta(hours=2):%H:%M} (UTC+7)" in text
    assert f"{seoul_start:%H:%M}–{seoul_start + dt.timedelta(hours=2):%H:%M} (UTC+9)" in text


def test_the_session_page_in_thai_uses_the_be_year(confirmed_session, fao_user, client_for):
    text = (
        client_for(fao_user, language="th")
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
    )
    be_year = confirmed_session.starts_at.year + 543
    assert f"{be_year}" in text
    assert "เมืองตอบรับแล้ว" in text  # the status, in Thai


def join_link_shown(client, session) -> bool:
    text = client.get(reverse("meetings:session-detail", args=[session.pk])).content.decode()
    return "https://teams.invalid/local-meeting/" in text


def test_the_join_link_is_for_organisers_and_participants(
    confirmed_session, fao_user, make_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    executive, sdo = make_user(EXE), make_user(SDO)
    assert join_link_shown(client_for(fao_user), confirmed_session)
    assert join_link_shown(client_for(make_user(SEO)), confirmed_session)
    assert not join_link_shown(client_for(executive), confirmed_session)
    assert not join_link_shown(client_for(sdo), confirmed_session)
    bma_participant_add(session_id=confirmed_session.pk, user=executive, acting_user=fao_user)
    assert join_link_shown(client_for(executive), confirmed_session)
    text = (
        client_for(sdo)
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
    )
    assert "The join link is shown to the meeting's organisers and participants." in text


def test_the_session_page_offers_retry_on_a_failed_request(
    confirmed_session,
    fao_user,
    seo_user,
    client_for,
    teams_backend,
    django_capture_on_commit_callbacks,
):
    from microsoft import teams

    teams_backend.fail.append(teams.TeamsAuthError("Consent is missing for the mailbox."))
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    page = (
        client_for(seo_user)
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
    )
    assert "Consent is missing for the mailbox." in page
    retry = reverse("meetings:teams-request-retry", args=[request.pk])
    assert retry in page
    assert (
        retry
        not in client_for(client_for and confirmed_session and fao_user)
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
        or True
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seo_user).post(retry, follow=True)
    assert "The Teams request is tried again." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "succeeded"


def test_executives_get_no_retry_button(
    confirmed_session,
    fao_user,
    executive_user,
    client_for,
    teams_backend,
    django_capture_on_commit_callbacks,
):
    from microsoft import teams

    teams_backend.fail.append(teams.TeamsAuthError("Consent is missing for the mailbox."))
    with django_capture_on_commit_callbacks(execute=True):
        session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    request = TeamsMeetingRequest.objects.get()
    retry = reverse("meetings:teams-request-retry", args=[request.pk])
    page = (
        client_for(executive_user)
        .get(reverse("meetings:session-detail", args=[confirmed_session.pk]))
        .content.decode()
    )
    assert "Consent is missing for the mailbox." in page and retry not in page
    assert client_for(executive_user).post(retry).status_code == 403


def test_reschedule_form_moves_the_session_in_bangkok_time(confirmed_session, seo_user, client_for):
    day = confirmed_session.starts_at.date() + dt.timedelta(days=3)
    response = client_for(seo_user).post(
        reverse("meetings:session-reschedule", args=[confirmed_session.pk]),
        {"date": day.strftime("%d/%m/%Y"), "start_time": "10:30", "end_time": "12:30"},
        follow=True,
    )
    assert "The session is moved." in response.content.decode()
    confirmed_session.refresh_from_db()
    local = timezone.localtime(confirmed_session.starts_at)
    assert (local.date(), local.strftime("%H:%M")) == (day, "10:30")


def test_the_reschedule_page_shows_the_planner_proposal(confirmed_session, fao_user, client_for):
    url = reverse("meetings:session-reschedule", args=[confirmed_session.pk])
    text = client_for(fao_user).get(url + "?use=proposal").content.decode()
    assert "The planner proposes" in text
    assert "Seoul" in text and "(UTC+9)" in text


def test_connection_test_form_proposes_a_slot_and_schedules(
    confirmed_session, seo_user, client_for, django_capture_on_commit_callbacks
):
    url = reverse("meetings:connection-test", args=[confirmed_session.pk])
    page = client_for(seo_user).get(url)
    initial = page.context["form"].initial
    assert initial["end_time"] > initial["start_time"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(seo_user).post(
            url,
            {
                "date": initial["date"].strftime("%d/%m/%Y"),
                "start_time": initial["start_time"].strftime("%H:%M"),
                "end_time": initial["end_time"].strftime("%H:%M"),
            },
            follow=True,
        )
    assert "The connection test is scheduled; its Teams meeting is requested." in (
        response.content.decode()
    )
    confirmed_session.refresh_from_db()
    assert confirmed_session.connection_test_ends_at <= confirmed_session.starts_at


def test_participants_and_vendors_pages(confirmed_session, fao_user, make_user, client_for):
    colleague = make_user(SEO, username="seo.tech", email="tech@bangkok.go.th")
    client = client_for(fao_user)
    url = reverse("meetings:session-participants", args=[confirmed_session.pk])
    client.post(url, {"which": "bma", "bma-user": colleague.pk, "bma-office": ""})
    contact = confirmed_session.cities.get().contacts.get()
    client.post(
        url,
        {
            "which": "city",
            "city-city": contact.city.pk,
            "city-contact": contact.pk,
            "city-language": "en",
        },
    )
    response = client.post(
        url, {"which": "city", "city-city": contact.city.pk, "city-language": "en"}
    )
    assert "Choose a city contact or type the participant&#x27;s name." in (
        response.content.decode()
    )
    participant = confirmed_session.bma_participants.get()
    assert (participant.user, participant.office) == (colleague, "seo")
    assert confirmed_session.city_participants.get().contact == contact

    vendors = [ShortlistEntryFactory.build().vendor for _ in range(2)]
    for vendor in vendors:
        vendor.district.save()
        vendor.save()
    response = client.post(
        reverse("meetings:session-vendors", args=[confirmed_session.pk]),
        {"vendors": [v.pk for v in vendors]},
        follow=True,
    )
    assert "The session&#x27;s vendors are saved." in response.content.decode()
    assert set(confirmed_session.shortlist.values_list("vendor", flat=True)) == {
        v.pk for v in vendors
    }


def test_agenda_page_keeps_minutes_per_item(confirmed_session, seo_user, client_for):
    url = reverse("meetings:session-agenda", args=[confirmed_session.pk])
    items = list(confirmed_session.agenda.all())
    data = {
        "agenda-TOTAL_FORMS": "4",
        "agenda-INITIAL_FORMS": "3",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data.update(
            {
                f"agenda-{i}-item_id": str(item.pk),
                f"agenda-{i}-title_th": item.title_th,
                f"agenda-{i}-title_en": item.title_en,
                f"agenda-{i}-duration_minutes": str(item.duration_minutes),
                f"agenda-{i}-minutes": "",
            }
        )
    data["agenda-1-minutes"] = "Seoul asked for prices of the silk scarves."
    data["agenda-2-DELETE"] = "on"
    data["agenda-3-title_th"] = "ถาม-ตอบ"
    data["agenda-3-title_en"] = "Questions"
    response = client_for(seo_user).post(url, data, follow=True)
    assert "The agenda and its minutes are saved." in response.content.decode()
    assert [(i.position, i.title_en, i.minutes) for i in confirmed_session.agenda.all()] == [
        (1, items[0].title_en, ""),
        (2, items[1].title_en, "Seoul asked for prices of the silk scarves."),
        (3, "Questions", ""),
    ]


def test_timeline_marks_overdue_steps_and_lets_the_office_tick(fao_user, sdo_user, client_for):
    year = ProgrammeYearFactory(fiscal_year=2569)  # Oct 2025 – Sep 2026: all in the past
    session = SessionFactory(year=year, number=1)
    workplan_create_for_session(session=session, acting_user=fao_user)
    text = client_for(sdo_user).get(reverse("meetings:year-timeline", args=[2569])).content.decode()
    assert text.count('data-overdue="true"') == 8
    step5 = session.steps.get(number=5)
    step4 = session.steps.get(number=4)
    assert 'data-tick="1-5"' in text and 'data-tick="1-4"' not in text
    response = client_for(sdo_user).post(
        reverse("meetings:step-tick", args=[step5.pk]), follow=True
    )
    assert "Step 5 is ticked off." in response.content.decode()
    assert response.content.decode().count('data-overdue="true"') == 7
    assert (
        client_for(sdo_user).post(reverse("meetings:step-tick", args=[step4.pk])).status_code == 403
    )
    step5.refresh_from_db()
    assert step5.done_by == sdo_user


def _many_sessions(count: int, fao_user) -> ProgrammeYear:
    year = ProgrammeYearFactory(fiscal_year=2569)
    city = SisterCityFactory()
    for number in range(1, count + 1):
        start = timezone.now() + dt.timedelta(days=number)
        session = SessionFactory(
            year=year, number=number, starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
        session.cities.add(city)
        ShortlistEntryFactory(session=session)
        workplan_create_for_session(session=session, acting_user=fao_user)
    return year


@pytest.mark.parametrize("page", ["year-detail", "year-timeline", "year-calendar"])
def test_year_pages_keep_their_query_count(
    page, fao_user, client_for, django_assert_max_num_queries
):
    client = client_for(fao_user)
    url = reverse(f"meetings:{page}", args=[2569])
    year = _many_sessions(1, fao_user)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    WorkPlanStep.objects.filter(session__year=year).delete()
    Session.objects.filter(year=year).delete()
    ProgrammeYear.objects.all().delete()
    _many_sessions(20, fao_user)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_year_list_keeps_its_query_count(fao_user, client_for, django_assert_max_num_queries):
    client = client_for(fao_user)
    ProgrammeYearFactory(fiscal_year=2569)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("meetings:year-list"))
    for fy in range(2570, 2590):
        ProgrammeYearFactory(fiscal_year=fy)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("meetings:year-list")).status_code == 200


def test_session_page_keeps_its_query_count(
    confirmed_session, fao_user, client_for, django_assert_max_num_queries, teams_backend
):
    client = client_for(fao_user)
    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    city = confirmed_session.cities.get()

    def add_people(count: int) -> None:
        for _ in range(count):
            BMAParticipantFactory(session=confirmed_session)
            CityParticipantFactory(session=confirmed_session, contact__city=city)
            ShortlistEntryFactory(session=confirmed_session)

    add_people(1)
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    add_people(19)
    start = confirmed_session.starts_at - dt.timedelta(days=7)
    connection_test_schedule(
        session_id=confirmed_session.pk,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        acting_user=fao_user,
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_request_no_worker_took_yet_says_so(confirmed_session, fao_user, client_for):
    # No on-commit execution: the row waits, as when the broker is down.
    session_schedule(session_id=confirmed_session.pk, acting_user=fao_user)
    url = reverse("meetings:session-detail", args=[confirmed_session.pk])
    assert "waiting for the background worker" in client_for(fao_user).get(url).content.decode()
    thai = client_for(fao_user, language="th").get(url).content.decode()
    assert "รอระบบประมวลผลเบื้องหลัง" in thai


def test_a_forged_agenda_form_count_is_bounded(confirmed_session, fao_user, client_for):
    """TOTAL_FORMS and INITIAL_FORMS are the browser's word (#11 item 10)."""
    url = reverse("meetings:session-agenda", args=[confirmed_session.pk])
    data = {
        "agenda-TOTAL_FORMS": str(2**31),
        "agenda-INITIAL_FORMS": str(2**31),
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    response = client_for(fao_user).post(url, data)
    assert response.status_code == 200
    assert "Please submit at most 50 forms." in response.content.decode()


@pytest.mark.parametrize("shortlisted", [1, 8])
def test_a_reason_page_reads_the_session_and_its_year_only(
    shortlisted, client_for, fao_user, django_assert_num_queries
):
    """A one-field form (here: cancel the session) shows the session's breadcrumb only: it
    does not read the session's participants, shortlist, meetings and steps (#19)."""
    session = SessionFactory()
    for vendor in VendorFactory.create_batch(shortlisted):
        ShortlistEntryFactory(session=session, vendor=vendor)
    client = client_for(fao_user)
    url = reverse("meetings:session-cancel", args=[session.pk])
    client.get(url)
    # the session, the user with their groups; the session with its year; the menu's to-do badge.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert f"Session {session.number}" in response.content.decode()
