"""#13 defect 7: an e-mail goes out with no transaction (and so no row lock) held across
SMTP; the row is claimed first and the outcome stored after."""

from __future__ import annotations

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from meetings.models import ParticipantNotice
from meetings.services.notices import session_send_invitations
from meetings.services.people import bma_participant_add

SEEN: list[tuple[bool, list[str]]] = []


class RecordingBackend(EmailBackend):
    """Notes, at the moment of sending, whether a transaction is open and the row's status."""

    def send_messages(self, messages):
        SEEN.append(
            (
                connection.in_atomic_block,
                list(ParticipantNotice.objects.values_list("status", flat=True)),
            )
        )
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_sent_outside_any_transaction(
    confirmed_session, fao_user, make_user, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.RecordingBackend"
    SEEN.clear()
    user = make_user(email="somchai@bangkok.go.th", first_name="Somchai", last_name="Dee")
    bma_participant_add(session_id=confirmed_session.pk, user=user, acting_user=fao_user)

    session_send_invitations(session_id=confirmed_session.pk, acting_user=fao_user)

    assert SEEN == [(False, ["sending"])]
    notice = ParticipantNotice.objects.get()
    assert (notice.status, notice.attempts) == ("sent", 1)
