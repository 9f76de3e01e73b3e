from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0016_phase_tally_by_branch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["updated_at"], name="candidate_updated_idx"),
        ),
    ]
