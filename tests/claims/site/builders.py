"""Published claims with chosen content, driven through the real services and
workflow (as tests/factories.py does), for the reader-site tests."""

from claims import services
from claims.models import Claim
from tests.factories import ClaimantFactory, SourceFactory, UserFactory, rating


def publish_claim(
    researcher,
    editor,
    *,
    text: str = "The border crisis is over.",
    quote: str = "It is over.",
    conclusion: str = "People remain stranded.",
    explanation: str = "Both reports count people still at the border.",
    rating_slug: str = "false",
    evidence: int = 2,
    sources: list | None = None,
    **fields,
) -> Claim:
    """A published claim with one appearance and `evidence` items from
    `sources` (by default, one new source per item)."""
    fields.setdefault("claimant", ClaimantFactory())
    claim = services.claim_create(by=researcher, text=text, **fields)
    sources = sources or [SourceFactory() for _ in range(max(evidence, 2))]
    services.appearance_create(claim=claim, by=researcher, source=sources[0], quote=quote)
    for n in range(evidence):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=sources[n % len(sources)],
            excerpt=f"Excerpt {n} of {text}",
            stance=("refutes", "supports", "context")[n % 3],
        )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating(rating_slug),
        conclusion=conclusion,
        explanation=explanation,
    )
    services.claim_submit(claim=claim, by=researcher)
    return services.claim_publish(claim=claim, by=editor)


def merge_into(duplicate: Claim, target: Claim) -> Claim:
    """Merge `duplicate` into `target` through the workflow, as an editor would."""
    editor = UserFactory(username="merging-editor", role="Editor")
    services.claim_merge(duplicate=duplicate, canonical=target, by=editor)
    duplicate.refresh_from_db()
    return duplicate
