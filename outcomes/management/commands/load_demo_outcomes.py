from django.core.management.base import BaseCommand

from outcomes.demo import load_demo_outcomes


class Command(BaseCommand):
    help = (
        "Demo outcomes for last fiscal year: two held sessions, the demo vendors' "
        "submissions in each state, the KPI and statistics (never in production)."
    )

    def handle(self, *args, **options):
        made = load_demo_outcomes()
        self.stdout.write(f"Demo outcomes: {made['submissions']} submissions added.")
