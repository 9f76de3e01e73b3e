# Its own migration after 0014's fill: the NOT NULL is checked and the index built once over the filled column.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0014_candidate_phase_since"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidate",
            name="phase_since",
            field=models.DateField(editable=False, verbose_name="in deze fase sinds"),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["phase", "status", "phase_since", "id"], name="candidate_phase_since_idx"),
        ),
    ]
