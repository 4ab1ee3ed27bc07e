"""The attendance form of a held session."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_attendance_form_ticks_no_one_by_default(confirmed_session, fao_user, make_user):
    # #13: attendance counts for the KPI; staff tick who came (or import it from Teams).
    from meetings.forms import AttendanceForm
    from meetings.services.people import bma_participant_add

    user = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=user, acting_user=fao_user)
    form = AttendanceForm(session=confirmed_session)
    (field,) = form.bma_fields
    assert field.initial is False
    assert "checked" not in str(field)
