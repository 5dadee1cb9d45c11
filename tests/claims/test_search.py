import pytest

from claims.models import Claim
from claims.search import search_claims
from tests.factories import ClaimantFactory, make_published

pytestmark = pytest.mark.django_db


def test_every_word_must_match_and_wording_ranks_first(researcher, editor):
    in_wording = make_published(researcher, editor, text="Police deployed to the border")
    in_claimant = make_published(
        researcher,
        editor,
        text="Something else",
        claimant=ClaimantFactory(name="Border Police Union"),
    )
    make_published(researcher, editor, text="Unrelated claim about flights")
    found = list(search_claims(Claim.objects.public(), "police BORDER"))
    assert found == [in_wording, in_claimant]


def test_empty_query_returns_the_queryset_unchanged(researcher, editor):
    claim = make_published(researcher, editor)
    assert list(search_claims(Claim.objects.public(), "   ")) == [claim]


def test_search_never_widens_the_queryset(researcher):
    from tests.factories import make_draft

    make_draft(researcher, text="Secret draft about the border")
    assert list(search_claims(Claim.objects.public(), "border")) == []
