from django.db import migrations

MANAGER_GROUP = "manager"  # intake.selectors.MANAGER_GROUP; migrations do not import app code that may change


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create this app's now so they can be granted.
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("reports")
    config.models_module = True  # the migration state's stub has none; create_permissions skips such apps
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    managers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reports",
            codename__in=["view_planfigure", "add_planfigure", "change_planfigure", "delete_planfigure"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_published_plan_figures"),
        # After intake's roles, which set the groups' permissions afresh.
        ("intake", "0008_role_scope_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
