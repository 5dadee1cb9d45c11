"""Content edits: what may change in which state, and no silent overwrites."""

import pytest
from django.core.exceptions import ValidationError

from claims import exceptions, services
from tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    make_draft,
    make_in_review,
    make_published,
    make_ready_claim,
)

pytestmark = pytest.mark.django_db


def test_claim_create_generates_a_unique_slug_and_logs_creation(researcher):
    first = make_draft(researcher, text="Perú cerró la frontera")
    second = make_draft(researcher, text="Perú cerró la frontera")
    assert first.slug == "peru-cerro-la-frontera"
    assert second.slug == "peru-cerro-la-frontera-2"
    assert first.transitions.get().action == "create"


def test_draft_fields_and_topics_are_editable(researcher):
    claim = make_draft(researcher)
    topic = TopicFactory()
    claim = services.claim_update(
        claim=claim,
        by=researcher,
        data={"text": "New wording", "topics": [topic]},
        expected_version=1,
    )
    assert claim.text == "New wording" and claim.version == 2
    assert list(claim.topics.all()) == [topic]


def test_stale_version_is_refused_and_changes_nothing(researcher, editor, unchanged_database):
    claim = make_draft(researcher)
    services.claim_update(claim=claim, by=editor, data={"context": "Editor's"}, expected_version=1)
    with unchanged_database(), pytest.raises(exceptions.StaleVersion, match="version 1"):
        services.claim_update(
            claim=claim, by=researcher, data={"context": "Mine"}, expected_version=1
        )


def test_claim_in_review_is_frozen(researcher, editor, unchanged_database):
    claim = make_in_review(researcher)
    source = SourceFactory()
    with unchanged_database():
        with pytest.raises(exceptions.TransitionRejected, match="in review"):
            services.claim_update(claim=claim, by=editor, data={"text": "x"})
        with pytest.raises(exceptions.TransitionRejected):
            services.evidence_create(
                claim=claim, by=editor, source=source, excerpt="x", stance="context"
            )
        with pytest.raises(exceptions.TransitionRejected):
            services.verdict_update(
                verdict=claim.verdicts.get(), by=editor, data={"conclusion": "x"}
            )


def test_published_claim_keeps_its_wording_but_can_be_reassigned(
    researcher, editor, unchanged_database
):
    claim = make_published(researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="correction"):
        services.claim_update(claim=claim, by=editor, data={"text": "Rewritten"})
    claim = services.claim_update(claim=claim, by=editor, data={"assigned_to": editor})
    assert claim.assigned_to == editor


def test_published_evidence_cannot_be_edited_or_deleted(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    item = claim.evidence.first()
    with unchanged_database():
        with pytest.raises(exceptions.TransitionRejected, match="published record"):
            services.evidence_update(evidence=item, by=editor, data={"note": "x"})
        with pytest.raises(exceptions.TransitionRejected, match="published record"):
            services.evidence_delete(evidence=item, by=editor)


def test_new_evidence_on_a_published_claim_stays_private_and_editable(researcher, editor):
    claim = make_published(researcher, editor)
    item = services.evidence_create(
        claim=claim, by=researcher, source=SourceFactory(), excerpt="new", stance="context"
    )
    assert item.published_at is None
    item = services.evidence_update(
        evidence=item, by=researcher, data={"note": "checked"}, expected_version=1
    )
    assert item.note == "checked" and item.version == 2


def test_excerpt_must_occur_in_the_source_snapshot(researcher, unchanged_database):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot="About 30 foreigners\n   remain in the region.")
    with unchanged_database(), pytest.raises(ValidationError, match="does not occur"):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=source,
            excerpt="40 foreigners remain",
            stance="refutes",
        )
    item = services.evidence_create(
        claim=claim,
        by=researcher,
        source=source,
        excerpt="30 foreigners remain in the region",
        stance="refutes",
    )
    assert item.pk


def test_appearance_quote_must_occur_in_the_source_snapshot(researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot="the migrant crisis has been overcome")
    with pytest.raises(ValidationError):
        services.appearance_create(claim=claim, by=researcher, source=source, quote="invented")


def test_a_figure_needs_the_quantity_it_measures(researcher):
    claim = make_draft(researcher)
    with pytest.raises(ValidationError, match="measures"):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=SourceFactory(),
            excerpt="200 police",
            stance="context",
            figure_value=200,
        )


def test_claim_cannot_become_its_own_ancestor(researcher):
    parent = make_draft(researcher, text="Parent")
    child = make_draft(researcher, text="Child", parent=parent)
    with pytest.raises(exceptions.TransitionRejected, match="sub-claim of itself"):
        services.claim_update(claim=parent, by=researcher, data={"parent": child})


def test_roleless_user_cannot_write(outsider, researcher):
    claim = make_draft(researcher)
    with pytest.raises(exceptions.NotPermitted):
        services.claim_create(by=outsider, text="x")
    with pytest.raises(exceptions.NotPermitted):
        services.evidence_create(
            claim=claim, by=outsider, source=SourceFactory(), excerpt="x", stance="context"
        )


def test_second_verdict_on_a_draft_is_refused(researcher):
    claim = make_ready_claim(researcher)
    with pytest.raises(exceptions.TransitionRejected, match="already has a verdict"):
        services.verdict_create(
            claim=claim,
            by=researcher,
            rating=claim.verdicts.get().rating,
            conclusion="c",
            explanation="e",
        )


def test_claimant_is_optional_for_unattributed_claims(researcher):
    claim = services.claim_create(by=researcher, text="Unattributed rumour")
    assert claim.claimant is None
    assert ClaimantFactory().claims.count() == 0


def test_only_drafts_are_discarded_and_only_by_editors(researcher, editor, unchanged_database):
    from claims.models import Claim

    draft = make_ready_claim(researcher, text="Will never go out")
    in_review = make_in_review(researcher, text="Being reviewed")
    child = make_draft(researcher, text="A sub-claim", parent=draft)
    with unchanged_database():
        with pytest.raises(exceptions.NotPermitted):
            services.claim_discard(claim=draft, by=researcher)
        with pytest.raises(exceptions.TransitionRejected, match="Only a draft"):
            services.claim_discard(claim=in_review, by=editor)
        with pytest.raises(exceptions.TransitionRejected, match="sub-claims"):
            services.claim_discard(claim=draft, by=editor)
    services.claim_discard(claim=child, by=editor)
    services.claim_discard(claim=draft, by=editor)
    assert not Claim.objects.filter(pk__in=[draft.pk, child.pk]).exists()
    assert draft.history.filter(history_type="-").exists()
