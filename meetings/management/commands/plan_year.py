from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.thai import BE_YEAR_THRESHOLD, to_be_year
from meetings.localtime import format_span_in_zone
from meetings.services.years import programme_year_plan


def _months(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise CommandError(f"--months takes month numbers such as 1,5,9, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Plan a programme year: its sessions on the planner's dates (one every four months), "
        "the default agenda and the work plan. FY is the BE year (2570) or the CE year it ends."
    )

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int)
        parser.add_argument("--months", type=_months, default=[1, 5, 9])
        parser.add_argument("--vendors", type=int, default=3, help="vendors per session")
        parser.add_argument("--minutes", type=int, default=120, help="length of a session")
        parser.add_argument("--user", help="username recorded as the planner")

    def handle(self, *args, fiscal_year, months, vendors, minutes, user, **options):
        if fiscal_year <= BE_YEAR_THRESHOLD:
            fiscal_year = to_be_year(fiscal_year)
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user {user!r}.")
        try:
            year = programme_year_plan(
                fiscal_year=fiscal_year,
                session_months=months,
                vendors_per_session=vendors,
                session_minutes=minutes,
                acting_user=acting_user,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Planned FY {year.fiscal_year}:"))
        for session in year.sessions.order_by("number"):
            when = (
                format_span_in_zone(session.starts_at, session.ends_at, "Asia/Bangkok", "en")
                if session.starts_at and session.ends_at  # a slot sets both
                else "no slot found: choose a date"
            )
            self.stdout.write(f"  session {session.number} (id {session.pk}): {when}")
