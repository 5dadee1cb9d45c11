"""Each claim's wording, and each appearance's quote, as a sentence embedding,
for semantic claim matching (claims.search.embedding)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from claims.models.claim import Claim
from claims.models.content import Appearance


class StoredEmbedding(models.Model):
    """What every stored embedding holds besides the row it belongs to."""

    embedder = models.CharField(_("embedder"), max_length=100)
    digest = models.CharField(_("wording digest"), max_length=64)
    # float32, little-endian, L2-normalised.
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ClaimEmbedding(StoredEmbedding):
    """The embedding of a claim's wording by one embedder.

    Kept apart from `Claim` so the claim's history and its API never carry the
    vector, and so a new embedder can be backfilled beside the old one's rows.
    `digest` identifies the wording that was embedded: a row whose digest no
    longer matches the claim is stale (`manage.py embed_claims` refreshes it).
    """

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="embeddings"
    )

    class Meta:
        verbose_name = _("claim embedding")
        verbose_name_plural = _("claim embeddings")
        constraints = [
            models.UniqueConstraint(fields=["embedder", "claim"], name="one_embedding_per_embedder")
        ]

    def __str__(self):
        return f"{self.claim_id} ({self.embedder})"


class AppearanceEmbedding(StoredEmbedding):
    """The embedding of an appearance's quote by one embedder: a claim is often
    repeated in other words, and a new wording nearest one of those points to
    the appearance's claim.

    A table of its own rather than a generalised `ClaimEmbedding`: each keeps
    a plain foreign key, a cascade and a unique constraint, and each has its
    own index file (`claims.search.ann`), keyed by claim or appearance id. The claim is
    not stored here: merging moves appearances between claims, so the lookup
    reads the appearance's present claim (and quote, for `digest`) instead.
    """

    appearance = models.ForeignKey(
        Appearance,
        verbose_name=_("appearance"),
        on_delete=models.CASCADE,
        related_name="embeddings",
    )
    digest = models.CharField(_("quote digest"), max_length=64)

    class Meta:
        verbose_name = _("appearance embedding")
        verbose_name_plural = _("appearance embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["embedder", "appearance"], name="one_quote_embedding_per_embedder"
            )
        ]

    def __str__(self):
        return f"{self.appearance_id} ({self.embedder})"
