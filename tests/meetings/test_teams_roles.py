"""Teams reports a role in English ("Attendee"); the attendance page shows it in the
reader's language (issue #16 item 11: English was left on Thai pages)."""

from django.utils import translation

from meetings.models import TeamsAttendance


def test_graph_roles_in_each_language():
    row = TeamsAttendance(role="Attendee")
    with translation.override("th"):
        assert row.role_label == "ผู้เข้าร่วม"
        assert TeamsAttendance(role="Organizer").role_label == "ผู้จัดการประชุม"
    with translation.override("en"):
        assert row.role_label == "Attendee"
        assert TeamsAttendance(role="Organizer").role_label == "Organiser"


def test_a_role_graph_adds_later_is_shown_as_graph_spells_it():
    with translation.override("th"):
        assert TeamsAttendance(role="Guest").role_label == "Guest"
        assert TeamsAttendance(role="").role_label == ""
