"""Two generations at the same moment never share a number (PostgreSQL: the sequence row
is locked with SELECT ... FOR UPDATE; SQLite serialises every write anyway)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from documents.models import Document, NumberSequence
from documents.services import document_generate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")


def run_together(calls: list[Callable[[], object]]) -> list[BaseException]:
    """Start the calls in threads released at the same instant; return what they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_concurrent_generations_take_two_numbers(programme, fao_user):
    session = programme.sessions[0]
    subjects = [
        {"kind": "approval_memo"},
        {"kind": "working_group_order"},
        {"kind": "order_transmittal", "session_id": session.pk},
        {"kind": "inquiry_letter", "session_id": session.pk, "city_id": programme.seoul.pk},
        {"kind": "inquiry_letter", "session_id": session.pk, "city_id": programme.fukuoka.pk},
        {"kind": "report_cover", "session_id": session.pk},
    ]

    def call(subject):
        return lambda: document_generate(
            year_id=programme.year.pk, language="th", acting_user=fao_user, **subject
        )

    for start in range(0, len(subjects), 2):
        assert run_together([call(s) for s in subjects[start : start + 2]]) == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(101, 101 + len(subjects)))
    assert NumberSequence.objects.get().next_number == 101 + len(subjects)


def test_the_same_document_twice_at_once_is_one_entry_with_two_versions(programme, fao_user):
    def call(language):
        return lambda: document_generate(
            kind="approval_memo", year_id=programme.year.pk, language=language, acting_user=fao_user
        )

    assert run_together([call("th"), call("en")]) == []
    document = Document.objects.get()
    assert document.number == 101
    assert sorted(document.versions.values_list("version", flat=True)) == [1, 2]
