from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meetings.models import Session, TeamsMeeting, TeamsMeetingRequest
from meetings.services.sessions import session_schedule


class Command(BaseCommand):
    help = (
        "Ask Teams for the meeting of a session (its cities must have confirmed). With a broker "
        "the worker makes the call; without one it runs here."
    )

    def add_arguments(self, parser):
        parser.add_argument("session_id", type=int)
        parser.add_argument("--user", help="username recorded as the one who asked")

    def handle(self, *args, session_id, user, **options):
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user {user!r}.")
        try:
            session_schedule(session_id=session_id, acting_user=acting_user)
        except Session.DoesNotExist as exc:
            raise CommandError(f"No session {session_id}.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        request = (
            TeamsMeetingRequest.objects.filter(
                meeting__session_id=session_id,
                meeting__purpose=TeamsMeeting.Purpose.SESSION,
                action=TeamsMeetingRequest.Action.CREATE,
            )
            .select_related("meeting")
            .first()
        )
        # session_schedule went through, so it made the session's create request.
        assert request is not None
        self.stdout.write(
            self.style.SUCCESS(
                f"Session {session_id}: Teams request {request.pk} {request.status}."
            )
        )
        if request.meeting.join_url:
            self.stdout.write(f"Join link: {request.meeting.join_url}")
        if request.status == TeamsMeetingRequest.Status.FAILED:
            # Scripts and cron must see the failure in the exit status.
            raise CommandError(
                f"Session {session_id}: the Teams request failed: {request.last_error}"
            )
        if request.last_error:
            self.stdout.write(self.style.WARNING(f"Last error: {request.last_error}"))
