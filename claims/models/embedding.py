"""Each claim's wording as a sentence embedding, for semantic claim matching
(claims.search.embedding)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim


class ClaimEmbedding(models.Model):
    """The embedding of a claim's wording by one embedder.

    Kept apart from `Claim` so the claim's history and its API never carry the
    vector, and so a new embedder can be backfilled beside the old one's rows.
    `digest` identifies the wording that was embedded: a row whose digest no
    longer matches the claim is stale (`manage.py embed_claims` refreshes it).
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="embeddings"
    )
    embedder = models.CharField(_("embedder"), max_length=100)
    digest = models.CharField(_("wording digest"), max_length=64)
    # float32, little-endian, L2-normalised.
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("claim embedding")
        verbose_name_plural = _("claim embeddings")
        constraints = [
            models.UniqueConstraint(fields=["embedder", "claim"], name="one_embedding_per_embedder")
        ]

    def __str__(self):
        return f"{self.claim_id} ({self.embedder})"
