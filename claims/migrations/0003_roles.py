from django.contrib.auth.management import create_permissions
from django.db import migrations

# Explicit permissions per role. Superusers have every permission but the
# workflow still applies the two-person rule to them.
RESEARCHER = {
    "claims": [
        "view_claim", "add_claim", "change_claim", "submit_claim",
        "view_appearance", "add_appearance", "change_appearance", "delete_appearance",
        "view_evidence", "add_evidence", "change_evidence", "delete_evidence",
        "view_verdict", "add_verdict", "change_verdict",
        "view_correction", "view_transition",
        "view_claimant", "add_claimant", "change_claimant",
        "view_topic", "add_topic", "change_topic",
        "view_rating", "view_ratingscale",
    ],
    "sources": [
        "view_publisher", "add_publisher", "change_publisher",
        "view_source", "add_source", "change_source",
    ],
}
EDITOR_EXTRA = {
    "claims": [
        "review_claim", "publish_claim", "retract_claim", "correct_claim", "delete_claim",
        "delete_claimant", "delete_topic",
    ],
    "sources": ["delete_publisher", "delete_source"],
}


def _permissions(apps, spec):
    Permission = apps.get_model("auth", "Permission")
    perms = []
    for app_label, codenames in spec.items():
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found: {app_label}.{sorted(missing)}")
        perms.extend(found)
    return perms


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    researcher, _ = Group.objects.get_or_create(name="Researcher")
    researcher.permissions.set(_permissions(apps, RESEARCHER))
    editor, _ = Group.objects.get_or_create(name="Editor")
    combined = {
        app: RESEARCHER.get(app, []) + EDITOR_EXTRA.get(app, [])
        for app in set(RESEARCHER) | set(EDITOR_EXTRA)
    }
    editor.permissions.set(_permissions(apps, combined))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Researcher", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_default_rating_scale"),
        ("sources", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
