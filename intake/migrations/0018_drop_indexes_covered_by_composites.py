import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Each of these foreign keys is the first column of a composite index, which serves its lookups; an index of its
# own only cost every insert and update. Dropped by name, because Django's AlterField would also drop and add
# the foreign key constraint, checking 5M events again under a lock.
COVERED = [
    ("intake_auditentry", "actor_id", "intake_auditentry_actor_id_b4146243"),
    ("intake_candidate", "instroomspoor_id", "intake_candidate_instroomspoor_id_7ca5af1c"),
    ("intake_statusevent", "candidate_id", "intake_statusevent_candidate_id_190990e8"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0017_candidate_updated_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f"DROP INDEX IF EXISTS {index}", f"CREATE INDEX {index} ON {table} ({column})")
                for table, column, index in COVERED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="gebruiker",
                    ),
                ),
                migrations.AlterField(
                    model_name="candidate",
                    name="instroomspoor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="candidates",
                        to="intake.instroomspoor",
                        verbose_name="instroomspoor",
                    ),
                ),
                migrations.AlterField(
                    model_name="statusevent",
                    name="candidate",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="intake.candidate",
                    ),
                ),
            ],
        )
    ]
