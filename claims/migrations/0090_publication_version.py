"""The publication version that keys the shared page cache, with its one row."""

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("claims", "PublicationVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0070_correction_claim_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicationVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.PositiveBigIntegerField(default=0, verbose_name="value")),
            ],
            options={
                "verbose_name": "publication version",
                "verbose_name_plural": "publication version",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
