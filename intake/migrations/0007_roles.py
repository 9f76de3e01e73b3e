"""Creates the groups recruiter, manager and beheerder with their permissions (see intake/roles.py)."""

from django.db import migrations

from intake import roles


def load(apps, schema_editor):
    roles.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_candidate_note"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
