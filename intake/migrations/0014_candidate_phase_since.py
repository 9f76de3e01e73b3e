from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_phase_since(apps, schema_editor):
    """The date of the event that brought each candidate into its current phase: what the board and the candidate
    page computed from the events on every request until now."""
    Candidate = apps.get_model("intake", "Candidate")
    StatusEvent = apps.get_model("intake", "StatusEvent")
    entered = (
        StatusEvent.objects.filter(candidate=OuterRef("pk"), to_phase=OuterRef("phase"))
        .exclude(from_phase=F("to_phase"))
        .order_by("-sequence")
        .values("occurred_at")[:1]
    )
    # Every candidate has at least its registration event; the date it entered its step is the closest stand-in
    # should a candidate's events be missing, so that the column can be NOT NULL.
    Candidate.objects.update(phase_since=Coalesce(Subquery(entered), F("step_since")))


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0013_phase_tally_journal_and_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="phase_since",
            field=models.DateField(editable=False, null=True, verbose_name="in deze fase sinds"),
        ),
        migrations.RunPython(fill_phase_since, migrations.RunPython.noop, elidable=True),
    ]
