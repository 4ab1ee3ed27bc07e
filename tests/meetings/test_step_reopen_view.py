"""Reopening a step that ticks itself from the document records: the page says why (it
was a 500, the view let the service's refusal through)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.services.workplan import workplan_create_for_session

from ..factories import ProgrammeYearFactory, SessionFactory

pytestmark = pytest.mark.django_db

RECORD_DRIVEN = {
    "en": "This step ticks itself from the records of the official documents: the approval "
    "memo, the working group, the approval and the order.",
    "th": "ขั้นตอนนี้บันทึกว่าเสร็จเองจากทะเบียนหนังสือราชการ: บันทึกขออนุมัติหลักการ คณะทำงาน การอนุมัติ และคำสั่ง",
}


@pytest.mark.parametrize("language", ["en", "th"])
def test_reopening_a_record_driven_step_says_why(language, fao_user, client_for):
    session = SessionFactory(year=ProgrammeYearFactory(fiscal_year=2569), number=1)
    workplan_create_for_session(session=session, acting_user=fao_user)
    step = session.steps.get(number=1)
    response = client_for(fao_user, language).post(
        reverse("meetings:step-reopen", args=[step.pk]), follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("meetings:year-timeline", args=[2569])
    assert [str(m) for m in response.context["messages"]] == [RECORD_DRIVEN[language]]


def test_reopening_a_step_that_does_not_exist_is_a_404(fao_user, client_for):
    response = client_for(fao_user).post(reverse("meetings:step-reopen", args=[999999]))
    assert response.status_code == 404
