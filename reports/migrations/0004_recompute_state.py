from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_manager_plan_figure_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecomputeState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("changes_since", models.DateTimeField()),
                ("definitions", models.CharField(max_length=64)),
            ],
        ),
    ]
