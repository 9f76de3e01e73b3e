import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone


def recount_tally_by_branch(apps, schema_editor):
    """The tally gets the branch as a dimension: recount it, and drop the journal rows the count includes (they
    have no branch). The migration's transaction keeps count and journal consistent."""
    Candidate = apps.get_model("intake", "Candidate")
    PhaseTally = apps.get_model("intake", "PhaseTally")
    PhaseTallyChange = apps.get_model("intake", "PhaseTallyChange")
    if schema_editor.connection.vendor == "postgresql":
        # The foreign keys are checked at commit by default; rows inserted with checks pending would make the
        # ALTER TABLE after this step fail ("pending trigger events").
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    now = timezone.now()
    PhaseTallyChange.objects.all().delete()
    PhaseTally.objects.all().delete()
    rows = (
        Candidate.objects.values("instroomspoor_id", "krijgsmachtdeel_id", "phase", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    PhaseTally.objects.bulk_create(
        PhaseTally(
            instroomspoor_id=row["instroomspoor_id"],
            krijgsmachtdeel_id=row["krijgsmachtdeel_id"],
            phase=row["phase"],
            status=row["status"],
            count=row["n"],
            computed_at=now,
        )
        for row in rows
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0015_candidate_phase_since_required"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="phasetally", name="phase_tally_unique"),
        migrations.AddField(
            model_name="phasetally",
            name="krijgsmachtdeel",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="intake.krijgsmachtdeel",
            ),
        ),
        migrations.AddField(
            model_name="phasetallychange",
            name="krijgsmachtdeel",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="intake.krijgsmachtdeel",
            ),
        ),
        migrations.RunPython(recount_tally_by_branch, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="phasetally",
            name="krijgsmachtdeel",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="intake.krijgsmachtdeel"
            ),
        ),
        migrations.AlterField(
            model_name="phasetallychange",
            name="krijgsmachtdeel",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="intake.krijgsmachtdeel"
            ),
        ),
        migrations.AddConstraint(
            model_name="phasetally",
            constraint=models.UniqueConstraint(
                fields=("instroomspoor", "krijgsmachtdeel", "phase", "status"), name="phase_tally_unique"
            ),
        ),
    ]
