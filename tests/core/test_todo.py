"""Issue #16 item 1: each role's home page is a to-do list, with the count in the menu."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.todo import todo_for, todo_total
from tests.factories import (
    InquiryLetterFactory,
    SessionEvaluationFactory,
    SubmissionFactory,
)
from tests.factories import (
    SessionFactory as _SessionFactory,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def SessionFactory(**kwargs):
    """The factory, with a session number still free in its year."""
    return _SessionFactory(number=next(_numbers), **kwargs)


KEYS = {
    Role.FAO: [
        "meetings.letters",
        "outcomes.to_review",
        "reports.to_evaluate",
        "reports.to_report",
        "buyers.leads",
    ],
    Role.SDO: ["outcomes.to_fix", "outcomes.overdue", "buyers.leads"],
    Role.SEO: ["meetings.connection_test", "meetings.attendance"],
    Role.EXECUTIVE: ["reports.delivered"],
}


def _world(count: int = 1) -> None:
    """`count` rows waiting in each source, and rows that wait for nobody."""
    now = timezone.now()
    for _ in range(count):
        SubmissionFactory(status="submitted")
        SubmissionFactory(status="returned", return_reason="Check the order")
        SubmissionFactory(status="draft", overdue_since=dt.date(2026, 4, 16))
        InquiryLetterFactory()
        SessionFactory(status="city_confirmed", starts_at=now + dt.timedelta(days=30))
        SessionFactory(status="scheduled", starts_at=now - dt.timedelta(hours=3))
        SessionFactory(status="held", starts_at=now - dt.timedelta(days=3))
    # Not waiting for anyone.
    SubmissionFactory(status="accepted")
    SubmissionFactory(status="submitted", overdue_since=dt.date(2026, 4, 16))
    InquiryLetterFactory(reply="accepted", replied_on=dt.date(2025, 12, 1))
    SessionFactory(
        status="scheduled",
        starts_at=now + dt.timedelta(days=3),
        connection_test_done_at=now,
    )
    SessionEvaluationFactory(session=SessionFactory(status="reported", starts_at=now))


@pytest.mark.parametrize("role", list(KEYS))
def test_each_role_sees_its_own_sources_with_their_counts(role, make_user):
    _world(2)
    user = make_user(role)
    items = todo_for(user)
    assert [i.key for i in items] == KEYS[role]
    expected = {
        "meetings.letters": 2,
        "outcomes.to_review": 3,  # the overdue one that was sent in the end waits for FAO too
        "reports.to_evaluate": 2,
        "reports.to_report": 2,
        "outcomes.to_fix": 2,
        "outcomes.overdue": 2,
        # The scheduled session 3 hours ago never had its test: it counts in both.
        "meetings.connection_test": 4,
        "meetings.attendance": 2,
        "reports.delivered": 0,
        "buyers.leads": 0,  # counted in tests/buyers/test_lead_staff.py
    }
    assert {i.key: i.count for i in items} == {k: expected[k] for k in KEYS[role]}


def test_all_counts_are_one_query_and_cached_for_the_request(make_user, django_assert_num_queries):
    _world(1)
    user = make_user(Role.FAO)
    user.groups.add(*make_user(Role.SEO).groups.all(), *make_user(Role.SDO).groups.all())
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(2):  # the user's roles, then every count at once
        total = todo_total(user)
        todo_for(user)
        todo_total(user)
    assert total == 2 + 1 + 1 + 1 + 1 + 1 + 2 + 1


def test_the_home_page_reads_a_fixed_number_of_queries(
    make_user, client_for, django_assert_max_num_queries
):
    user = make_user(Role.FAO)
    client = client_for(user)
    _world(1)
    with django_assert_max_num_queries(20) as one:
        assert client.get(reverse("home")).status_code == 200
    _world(10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    assert 'data-todo="outcomes.to_review" data-count="13"' in response.content.decode()


def test_the_home_page_lists_what_waits_with_links_in_english(fao_user, client_for):
    _world(1)
    text = client_for(fao_user).get(reverse("home")).content.decode()
    assert "Waiting for you" in text
    review = re.search(r'data-todo="outcomes.to_review".*?</li>', text, re.S).group(0)
    assert 'href="/outcomes/?status=submitted"' in review
    assert "Outcome submissions to review" in review
    letters = re.search(r'data-todo="meetings.letters".*?</ul>', text, re.S).group(0)
    assert "Inquiry letters awaiting a reply" in letters
    assert "sent 10/11/2025" in letters
    # The menu's badge: the sum of every count.
    assert re.search(r'id="todo-count">5<', text)


def test_the_home_page_in_thai(sdo_user, client_for):
    _world(1)
    text = client_for(sdo_user, language="th").get(reverse("home")).content.decode()
    assert "รอคุณดำเนินการ" in text
    assert "แบบรายงานผลที่ถูกส่งกลับให้แก้ไข" in text
    assert "ผู้ประกอบการที่ส่งแบบรายงานผลเกินกำหนด" in text
    assert 'href="/outcomes/?overdue=1"' in text
    assert "สิ่งที่ต้องทำ" in text


def test_nothing_waiting_says_so_and_shows_no_badge(seo_user, client_for):
    text = client_for(seo_user).get(reverse("home")).content.decode()
    assert "Nothing is waiting for you. Well done." in text
    assert 'id="todo-count"' not in text
    assert 'data-todo="meetings.connection_test" data-count="0"' in text


def test_the_overdue_link_lists_only_the_overdue(sdo_user, client_for):
    _world(1)
    response = client_for(sdo_user).get(reverse("outcomes:submission-list") + "?overdue=1")
    assert response.content.decode().count("data-submission=") == 1


def test_the_counting_query_is_built_once_and_its_counts_stay_live(make_user, monkeypatch):
    """#19: building the ten subqueries cost more than running them, on every page. The
    compiled query is kept; each request still runs it, so a new row counts at once."""
    from core import todo
    from outcomes.selectors import submissions_to_review

    built = []

    def counted(user):
        built.append(user.pk)
        return submissions_to_review()

    monkeypatch.setitem(
        todo._SOURCES,
        "tests.counted",
        todo.TodoSource(
            key="tests.counted",
            label="Counted",
            roles=frozenset({Role.FAO}),
            queryset=counted,
            url_name="outcomes:submission-list",
        ),
    )
    user = make_user(Role.FAO)
    SubmissionFactory(status="submitted")

    def fresh_counts():
        fresh = type(user).objects.get(pk=user.pk)  # a new request's user object
        return {i.key: i.count for i in todo_for(fresh)}

    assert fresh_counts()["tests.counted"] == 1
    SubmissionFactory(status="submitted")
    counts = fresh_counts()
    assert counts["tests.counted"] == counts["outcomes.to_review"] == 2
    assert built == [user.pk]
    # Another user's query is its own.
    other = make_user(Role.FAO)
    todo_for(type(other).objects.get(pk=other.pk))
    assert built == [user.pk, other.pk]
