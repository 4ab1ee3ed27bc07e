"""Reports (and changes nothing) the dates already stored outside a plausible range:
BE years typed into the admin were stored as CE before it read BE years. The same list
is printed at any time by `manage.py check_dates`, with the admin page of each record."""

import logging

from django.db import migrations

logger = logging.getLogger("core.dates")


def report(apps, schema_editor):
    from core.date_check import implausible_dates_report

    found, lines = implausible_dates_report(apps.get_models())
    for line in lines if found else ():
        logger.warning(line)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_pdpa_more_subjects"),
        ("cities", "0003_reference_data"),
        ("vendors", "0004_product_photo_checks"),
        ("meetings", "0002_sessions_teams_workplan"),
        ("outcomes", "0003_outcometally"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(report, migrations.RunPython.noop, elidable=True)]
