from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_merge(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs it now.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    merge = Permission.objects.get(content_type__app_label="claims", codename="merge_claim")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(merge)


def revoke_merge(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="claims", codename="merge_claim")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_merge"),
    ]

    operations = [migrations.RunPython(grant_merge, revoke_merge)]
