"""Fuzz the newsroom's admin forms: never a 500, never a half-written record."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import Claim
from tests.conftest import database_snapshot
from tests.factories import ClaimantFactory, SourceFactory, make_draft
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any text, including control characters, NUL, right-to-left marks and emoji.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=700)
huge_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 4000))
junk = st.one_of(
    any_text,
    huge_text,
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.just(""),
)


@pytest.fixture
def researcher_client(researcher):
    client = Client()
    client.force_login(researcher)
    return client


@FUZZ
@given(text=junk, context=junk, language=junk, first_made_on=junk, true_as_of=junk, claimant=junk)
def test_claim_add_form_never_fails_or_half_saves(
    researcher_client, text, context, language, first_made_on, true_as_of, claimant
):
    url = reverse("admin:claims_claim_add")
    data = form_data(researcher_client.get(url), "claim_form")
    data.update(
        {
            "text": text,
            "context": context,
            "language": language,
            "first_made_on": first_made_on,
            "true_as_of": true_as_of,
            "claimant": claimant,
        }
    )
    before = database_snapshot()
    response = researcher_client.post(url, data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert database_snapshot() == before
    else:
        saved = Claim.objects.order_by("-pk").first()
        assert saved.text == text.strip()


@FUZZ
@given(excerpt=junk, note=junk, stance=junk, value=junk, unit=junk, as_of=junk, quantity=junk)
def test_evidence_inline_never_fails_or_half_saves(
    researcher, researcher_client, excerpt, note, stance, value, unit, as_of, quantity
):
    claim = Claim.objects.filter(text="Fuzzed claim").first() or make_draft(
        researcher, text="Fuzzed claim", claimant=ClaimantFactory()
    )
    source = SourceFactory(snapshot="30 foreigners remain in the region")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(researcher_client.get(url), "claim_form")
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": source.pk,
            "evidence-0-excerpt": excerpt,
            "evidence-0-note": note,
            "evidence-0-stance": stance,
            "evidence-0-figure_value": value,
            "evidence-0-figure_unit": unit,
            "evidence-0-figure_as_of": as_of,
            "evidence-0-figure_quantity": quantity,
        }
    )
    before = database_snapshot()
    response = researcher_client.post(url, data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert database_snapshot() == before
    else:
        assert claim.evidence.filter(source=source).count() == 1


@pytest.mark.parametrize("bad_id", [":", "1.5", "abc", "99999999999999999999999", "\x00"])
def test_garbled_autocomplete_ids_are_a_form_error_not_a_crash(researcher_client, bad_id):
    url = reverse("admin:claims_claim_add")
    data = form_data(researcher_client.get(url), "claim_form")
    data.update({"text": "A claim", "claimant": bad_id, "parent": bad_id})
    response = researcher_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_claimant_error"' in page and 'id="id_parent_error"' in page
    assert not Claim.objects.exists()
