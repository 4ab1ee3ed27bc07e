from django.core.management.base import BaseCommand, CommandError

from meetings.models import ProgrammeYear
from outcomes.models import KpiSnapshot
from outcomes.services import kpi_snapshot_create, outcome_tallies_refresh


class Command(BaseCommand):
    help = (
        "Compute and store the KPI of a programme year and refresh its statistics, as the "
        "nightly task does."
    )

    def add_arguments(self, parser):
        parser.add_argument("fiscal_year", type=int, help="the fiscal year in BE, e.g. 2569")

    def handle(self, *args, fiscal_year: int, **options):
        year = ProgrammeYear.objects.filter(fiscal_year=fiscal_year).first()
        if year is None:
            raise CommandError(f"There is no programme year FY {fiscal_year}.")
        snapshot = kpi_snapshot_create(year=year, trigger=KpiSnapshot.Trigger.COMMAND)
        tallies = outcome_tallies_refresh(fiscal_year=fiscal_year)
        if snapshot.percent is None:
            kpi = "no participants yet"
        else:
            kpi = (
                f"{snapshot.percent}% ({snapshot.achieved} of {snapshot.participants} "
                f"participants; target {snapshot.target_percent}%)"
            )
        self.stdout.write(
            f"FY {fiscal_year}: KPI {kpi}; sessions held {snapshot.sessions_held}/"
            f"{snapshot.target_sessions}; session reports delivered "
            f"{snapshot.reports_delivered}/{snapshot.target_reports}; "
            f"snapshot {snapshot.pk} in {snapshot.duration_ms} ms; "
            f"{tallies} statistics rows refreshed."
        )
