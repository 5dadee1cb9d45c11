from django.contrib.auth.management import create_permissions
from django.db import migrations

# Researchers and editors triage tips; a partner channel's account (a WhatsApp
# or Telegram bot the newsroom runs) may only send them.
TRIAGE = ["view_tip", "change_tip", "view_tipgroup", "change_tipgroup"]
CHANNEL = "Tipline channel"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    triage = Permission.objects.filter(content_type__app_label="claims", codename__in=TRIAGE)
    for name in ("Researcher", "Editor"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*triage)
    channel, _ = Group.objects.get_or_create(name=CHANNEL)
    channel.permissions.set(
        Permission.objects.filter(content_type__app_label="claims", codename="add_tip")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    triage = Permission.objects.filter(content_type__app_label="claims", codename__in=TRIAGE)
    for group in Group.objects.filter(name__in=["Researcher", "Editor"]):
        group.permissions.remove(*triage)
    Group.objects.filter(name=CHANNEL).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0030_tips")]

    operations = [migrations.RunPython(grant, revoke)]
