"""Loads the tracks, service branches and reason catalogue (see intake/reference_data.py)."""

from django.db import migrations

from intake import reference_data


def load(apps, schema_editor):
    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
