from django.core.management.base import BaseCommand

from demo.data import create_demo_users, load_demo_data


class Command(BaseCommand):
    help = "Load demo cities, vendors and one demo user per role (never in production)."

    def handle(self, *args, **options):
        created = load_demo_data()
        self.stdout.write(
            "Demo data: {cities} cities, {vendors} vendors, {products} products added.".format(
                **created
            )
        )
        logins = create_demo_users()
        if not logins:
            self.stdout.write("Demo users exist already; their passwords were shown when created.")
            return
        self.stdout.write(self.style.WARNING("Demo logins (shown once, keep them):"))
        for login in logins:
            self.stdout.write(f"  {login.role.label:<40} {login.username:<16} {login.password}")
