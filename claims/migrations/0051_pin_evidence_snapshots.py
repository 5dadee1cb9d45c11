"""Existing appearances and evidence were verified against their source's
text as it stands: pin each to that text's version 1 (sources 0011)."""

from django.db import migrations


def forwards(apps, schema_editor):
    SourceSnapshot = apps.get_model("sources", "SourceSnapshot")
    first = dict(SourceSnapshot.objects.filter(number=1).values_list("source_id", "pk"))
    for name in ("Appearance", "Evidence"):
        model = apps.get_model("claims", name)
        for source_id, snapshot_id in first.items():
            model.objects.filter(source_id=source_id, snapshot__isnull=True).update(
                snapshot_id=snapshot_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0050_evidence_snapshot"),
        ("sources", "0011_snapshot_versions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
