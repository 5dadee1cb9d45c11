"""What is embedded for claim matching: a claim's wording and an appearance's
quote, each with its own table of vectors, index file and /readyz line.

Embedding (`claims.search.embedding`), the exact scan, the index file
(`claims.search.ann`), the beat task and /readyz take one of these rather
than a copy of their code for each.
"""

from dataclasses import dataclass

from claims.models import AppearanceEmbedding, ClaimEmbedding


@dataclass(frozen=True)
class Embedded:
    """Which rows hold the vectors of which texts, and where their index is."""

    model: type[ClaimEmbedding] | type[AppearanceEmbedding]
    key: str  # the foreign key's attribute on `model`: what the vectors are keyed by
    text: str  # the embedded field of the row it points to
    name: str  # what the row is, for the log
    # Appended to VERAZ_VECTOR_INDEX_PATH: where this kind's index file is.
    file_suffix: str
    label: str  # of its /readyz line and its log lines
    # What claim matching does without these vectors (past
    # VERAZ_VECTOR_EXACT_SCAN_MAX of them and no usable file).
    left_out: str


CLAIMS = Embedded(ClaimEmbedding, "claim_id", "text", "claim", "", "vector index", "words only")
QUOTES = Embedded(
    AppearanceEmbedding,
    "appearance_id",
    "quote",
    "appearance",
    ".quotes",
    "quote index",
    "quotes left out",
)
