import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_search_vector"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["-published_at", "-created_at"],
                "permissions": [
                    ("submit_claim", "Can submit a claim for review"),
                    ("review_claim", "Can review a claim and request changes"),
                    ("publish_claim", "Can publish a fact-check"),
                    ("retract_claim", "Can retract a published fact-check"),
                    ("correct_claim", "Can propose a correction to a published fact-check"),
                    ("merge_claim", "Can merge a duplicate claim into another and undo it"),
                ],
                "verbose_name": "claim",
                "verbose_name_plural": "claims",
            },
        ),
        migrations.AddField(
            model_name="appearance",
            name="merged_from",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="claims.claim",
                verbose_name="moved here from",
            ),
        ),
        migrations.AddField(
            model_name="historicalappearance",
            name="merged_from",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.claim",
                verbose_name="moved here from",
            ),
        ),
        migrations.AlterField(
            model_name="transition",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("submit", "Submitted for review"),
                    ("request_changes", "Changes requested"),
                    ("publish", "Published"),
                    ("retract", "Retracted"),
                    ("propose_correction", "Correction proposed"),
                    ("publish_correction", "Correction published"),
                    ("discard_correction", "Correction discarded"),
                    ("merge", "Merged"),
                    ("unmerge", "Merge undone"),
                ],
                max_length=32,
                verbose_name="action",
            ),
        ),
    ]
