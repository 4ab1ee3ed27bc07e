from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for a developer's or trainer's portal (manage.py load_demo_data). It
    writes rows of the cities and vendors apps, so it sits above them; core never
    imports it."""

    name = "demo"
    # Never shown: the app has no models, hence no admin page.
    verbose_name = "Demo data"
