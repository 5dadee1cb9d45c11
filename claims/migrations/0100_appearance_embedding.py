"""Each appearance's quote as a sentence embedding (issue 15)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0090_publication_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="AppearanceEmbedding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("embedder", models.CharField(max_length=100, verbose_name="embedder")),
                ("digest", models.CharField(max_length=64, verbose_name="quote digest")),
                ("vector", models.BinaryField(verbose_name="vector")),
                (
                    "updated_at",
                    models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at"),
                ),
                (
                    "appearance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="embeddings",
                        to="claims.appearance",
                        verbose_name="appearance",
                    ),
                ),
            ],
            options={
                "verbose_name": "appearance embedding",
                "verbose_name_plural": "appearance embeddings",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("embedder", "appearance"), name="one_quote_embedding_per_embedder"
                    )
                ],
            },
        ),
    ]
