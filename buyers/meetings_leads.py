"""Follow-up meetings of a lead on Teams: the same backend, transactionId and retry shape
as the sessions' meetings (meetings/services/teams.py), for one vendor and one buyer."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import save_audited
from core.queue import enqueue_on_commit
from meetings.services.teams import backoff_seconds
from microsoft import teams

from . import policy
from .models_leads import FollowUpMeeting, Lead

MAX_ATTEMPTS = 5
TIME_ZONE = "Asia/Bangkok"


def _enqueue(meeting: FollowUpMeeting) -> None:
    from .tasks import run_follow_up_meeting

    enqueue_on_commit(run_follow_up_meeting, meeting.pk)


@transaction.atomic
def follow_up_meeting_request(
    *, lead: Lead, starts_at: dt.datetime, minutes: int, acting_user: User
) -> FollowUpMeeting:
    if not policy.can_schedule_meeting(lead):
        raise ValidationError(_("A meeting can be scheduled only for an open lead."), code="lead")
    if starts_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future."), code="past")
    if not 15 <= minutes <= 240:
        raise ValidationError(_("A meeting lasts between 15 and 240 minutes."), code="minutes")
    meeting = FollowUpMeeting(
        lead=lead, starts_at=starts_at, minutes=minutes, requested_by=acting_user
    )
    save_audited(meeting, acting_user=acting_user, reason="follow-up meeting requested")
    meeting.transaction_id = teams.make_transaction_id("lead-follow-up", meeting.pk)
    save_audited(meeting, acting_user=acting_user, update_fields=["transaction_id"])
    _enqueue(meeting)
    return meeting


def _spec(meeting: FollowUpMeeting) -> teams.MeetingSpec:
    lead = meeting.lead
    vendor = lead.vendor
    attendees = [teams.Attendee(lead.email, lead.name)] if lead.email else []
    if vendor.email:
        attendees.append(teams.Attendee(vendor.email, vendor.business_name_th))
    requester = meeting.requested_by
    if requester is not None and requester.email:
        attendees.append(teams.Attendee(requester.email, requester.get_full_name()))
    return teams.MeetingSpec(
        subject=f"Bangkok Brand: {vendor.business_name_en or vendor.business_name_th} – "
        f"{lead.company}",
        start=meeting.starts_at,
        end=meeting.starts_at + dt.timedelta(minutes=meeting.minutes),
        time_zone=TIME_ZONE,
        attendees=tuple(attendees),
        transaction_id=meeting.transaction_id,
    )


def follow_up_meeting_execute(*, meeting_id: int) -> float | None:
    """Ask Teams for the meeting. Returns the seconds to wait before another try, or None
    when done (confirmed or failed for good)."""
    with transaction.atomic():
        meeting = (
            FollowUpMeeting.objects.select_for_update(of=("self",))
            .select_related("lead__vendor", "requested_by")
            .filter(pk=meeting_id)
            .first()
        )
        if meeting is None or meeting.status != FollowUpMeeting.Status.REQUESTED:
            return None
        meeting.attempts += 1
        meeting.save(update_fields=["attempts"])
    try:
        ref = teams.get_backend().create_meeting(_spec(meeting))
    except teams.TeamsTransientError as exc:
        return _failed(meeting, str(exc), final=meeting.attempts >= MAX_ATTEMPTS)
    except (teams.TeamsError, ValueError) as exc:
        return _failed(meeting, str(exc), final=True)
    meeting.status = FollowUpMeeting.Status.CONFIRMED
    meeting.event_id, meeting.join_url = ref.event_id, ref.join_url
    meeting.last_error, meeting.next_attempt_at = "", None
    save_audited(meeting, acting_user=None, reason="confirmed by Teams")
    return None


def _failed(meeting: FollowUpMeeting, error: str, *, final: bool) -> float | None:
    meeting.last_error = error[:2000]
    wait = None if final else backoff_seconds(meeting.attempts)
    if final:
        meeting.status = FollowUpMeeting.Status.FAILED
        meeting.next_attempt_at = None
    else:
        meeting.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait or 0)
    save_audited(meeting, acting_user=None, reason="Teams error")
    return wait


def follow_up_meetings_pending(*, now: dt.datetime | None = None) -> list[tuple]:
    """For the sweeper: requests still waiting whose next try is due."""
    from .tasks import run_follow_up_meeting

    now = now or timezone.now()
    waiting = FollowUpMeeting.objects.filter(status=FollowUpMeeting.Status.REQUESTED).exclude(
        next_attempt_at__gt=now
    )
    return [(run_follow_up_meeting, (pk,)) for pk in waiting.values_list("pk", flat=True)]
