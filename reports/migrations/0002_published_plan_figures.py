from django.db import migrations


def load(apps, schema_editor):
    from reports import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_report_snapshots_and_plan_figures"),
        ("intake", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
