"""Every allowed transition, and every refused one leaving the database unchanged."""

import pytest
from django.db import IntegrityError, transaction

from claims import exceptions, services
from claims.models import ClaimStatus, Correction, Transition, TransitionAction, Verdict
from tests.factories import (
    SourceFactory,
    make_draft,
    make_in_review,
    make_published,
    make_ready_claim,
    rating,
)

pytestmark = pytest.mark.django_db


def log_of(claim):
    return list(
        Transition.objects.filter(claim=claim).values_list("action", "from_status", "to_status")
    )


# --- Allowed transitions ---------------------------------------------------------


def test_submit_moves_a_complete_draft_to_review_and_logs_it(researcher):
    claim = make_ready_claim(researcher)
    claim = services.claim_submit(claim=claim, by=researcher, comment="Ready")
    assert claim.status == ClaimStatus.IN_REVIEW
    step = Transition.objects.filter(claim=claim).last()
    assert (step.action, step.from_status, step.to_status, step.actor, step.comment) == (
        TransitionAction.SUBMIT,
        "draft",
        "in_review",
        researcher,
        "Ready",
    )


def test_request_changes_sends_the_claim_back_to_draft_with_the_reason(researcher, editor):
    claim = make_in_review(researcher)
    claim = services.claim_request_changes(claim=claim, by=editor, comment="Cite the survey.")
    assert claim.status == ClaimStatus.DRAFT
    assert log_of(claim)[-1] == ("request_changes", "in_review", "draft")
    assert Transition.objects.filter(claim=claim).last().comment == "Cite the survey."


def test_publish_by_a_second_editor_publishes_verdict_evidence_and_appearances(researcher, editor):
    claim = make_in_review(researcher)
    claim = services.claim_publish(claim=claim, by=editor)
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.published_at is not None
    assert claim.public_updated_at == claim.published_at
    verdict = claim.published_verdict
    assert verdict.reviewer == editor and verdict.author == researcher
    assert verdict.published_at == claim.published_at
    assert not claim.evidence.filter(published_at__isnull=True).exists()
    assert not claim.appearances.filter(published_at__isnull=True).exists()
    assert log_of(claim)[-1] == ("publish", "in_review", "published")


def test_retract_keeps_the_claim_with_a_public_reason(researcher, editor):
    claim = make_published(researcher, editor)
    claim = services.claim_retract(claim=claim, by=editor, reason="Footage was misdated.")
    assert claim.status == ClaimStatus.RETRACTED
    assert claim.retraction_reason == "Footage was misdated."
    assert claim.retracted_at is not None
    assert log_of(claim)[-1] == ("retract", "published", "retracted")


def test_superuser_can_publish_someone_elses_verdict(researcher, superuser):
    claim = make_in_review(researcher)
    assert services.claim_publish(claim=claim, by=superuser).status == ClaimStatus.PUBLISHED


def test_full_round_trip_is_logged_step_by_step(researcher, editor):
    claim = make_in_review(researcher)
    services.claim_request_changes(claim=claim, by=editor, comment="More sources")
    services.claim_submit(claim=claim, by=researcher)
    services.claim_publish(claim=claim, by=editor)
    services.claim_retract(claim=claim, by=editor, reason="Wrong footage")
    assert log_of(claim) == [
        ("create", "", "draft"),
        ("submit", "draft", "in_review"),
        ("request_changes", "in_review", "draft"),
        ("submit", "draft", "in_review"),
        ("publish", "in_review", "published"),
        ("retract", "published", "retracted"),
    ]


# --- Refused transitions: each leaves the database as it was ---------------------


def test_submit_without_a_verdict_is_refused(researcher, unchanged_database):
    claim = make_ready_claim(researcher)
    Verdict.objects.filter(claim=claim).delete()
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="verdict"):
        services.claim_submit(claim=claim, by=researcher)


def test_submit_without_an_appearance_is_refused(researcher, unchanged_database):
    claim = make_ready_claim(researcher)
    claim.appearances.all().delete()
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="appearance"):
        services.claim_submit(claim=claim, by=researcher)


def test_submit_with_one_piece_of_evidence_is_refused(researcher, unchanged_database):
    claim = make_ready_claim(researcher)
    claim.evidence.first().delete()
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="two pieces"):
        services.claim_submit(claim=claim, by=researcher)


def test_submit_with_evidence_from_one_source_only_is_refused(researcher, unchanged_database):
    claim = make_ready_claim(researcher)
    only = claim.evidence.first().source
    claim.evidence.update(source=only)
    with (
        unchanged_database(),
        pytest.raises(exceptions.TransitionRejected, match="two different sources"),
    ):
        services.claim_submit(claim=claim, by=researcher)


def test_submit_with_blank_conclusion_is_refused(researcher, unchanged_database):
    claim = make_ready_claim(researcher)
    claim.verdicts.update(conclusion=" ")
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="conclusion"):
        services.claim_submit(claim=claim, by=researcher)


def test_author_cannot_approve_own_verdict(editor, unchanged_database):
    claim = make_in_review(editor)  # the editor wrote the verdict
    with unchanged_database(), pytest.raises(exceptions.NotPermitted, match="another editor"):
        services.claim_publish(claim=claim, by=editor)


def test_superuser_author_still_obeys_the_two_person_rule(superuser, unchanged_database):
    claim = make_in_review(superuser)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.claim_publish(claim=claim, by=superuser)


def test_researcher_cannot_publish(researcher, unchanged_database):
    other = make_in_review(researcher)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted, match="permission"):
        services.claim_publish(claim=other, by=researcher)


def test_researcher_cannot_request_changes_or_retract(researcher, editor, unchanged_database):
    in_review = make_in_review(researcher)
    published = make_published(researcher, editor, text="Another claim entirely.")
    with unchanged_database():
        with pytest.raises(exceptions.NotPermitted):
            services.claim_request_changes(claim=in_review, by=researcher, comment="x")
        with pytest.raises(exceptions.NotPermitted):
            services.claim_retract(claim=published, by=researcher, reason="x")


def test_user_without_a_role_cannot_submit(researcher, outsider, unchanged_database):
    claim = make_ready_claim(researcher)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.claim_submit(claim=claim, by=outsider)


def test_draft_cannot_be_published_directly(researcher, editor, unchanged_database):
    claim = make_ready_claim(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="in review"):
        services.claim_publish(claim=claim, by=editor)


def test_retracting_a_draft_is_refused(researcher, editor, unchanged_database):
    claim = make_ready_claim(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="published"):
        services.claim_retract(claim=claim, by=editor, reason="No.")


def test_retracting_a_claim_in_review_is_refused(researcher, editor, unchanged_database):
    claim = make_in_review(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.claim_retract(claim=claim, by=editor, reason="No.")


def test_retraction_needs_a_public_reason(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="reason"):
        services.claim_retract(claim=claim, by=editor, reason="   ")


def test_request_changes_needs_a_comment(researcher, editor, unchanged_database):
    claim = make_in_review(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.claim_request_changes(claim=claim, by=editor, comment="")


def test_submitting_twice_is_refused(researcher, unchanged_database):
    claim = make_in_review(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.claim_submit(claim=claim, by=researcher)


def test_retracted_claim_cannot_be_republished_or_retracted_again(
    researcher, editor, unchanged_database
):
    claim = make_published(researcher, editor)
    services.claim_retract(claim=claim, by=editor, reason="Wrong")
    with unchanged_database():
        for step in (
            lambda: services.claim_publish(claim=claim, by=editor),
            lambda: services.claim_retract(claim=claim, by=editor, reason="Again"),
            lambda: services.claim_submit(claim=claim, by=researcher),
        ):
            with pytest.raises(exceptions.TransitionRejected):
                step()


def test_editing_a_published_verdict_in_place_is_refused(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="correction"):
        services.verdict_update(
            verdict=claim.published_verdict, by=editor, data={"conclusion": "Changed"}
        )


# --- Corrections -----------------------------------------------------------------


def test_correction_creates_a_new_version_and_keeps_the_old_one(researcher, editor, editor2):
    claim = make_published(researcher, editor, rating_slug="true")
    old = claim.published_verdict
    correction = services.correction_propose(
        claim=claim,
        by=editor,
        kind="correction",
        note="Reports differ on the count.",
        rating=rating("mostly-true"),
    )
    claim.refresh_from_db()
    assert claim.published_verdict == old, "nothing changes publicly before publication"
    assert correction.published_at is None and correction.verdict.number == 2

    services.correction_publish(correction=correction, by=editor2)
    claim.refresh_from_db()
    old.refresh_from_db()
    assert claim.published_verdict.rating.slug == "mostly-true"
    assert claim.published_verdict.number == 2
    assert old.rating.slug == "true" and old.published_at is not None
    assert list(claim.verdicts.published().values_list("number", flat=True)) == [1, 2]
    assert claim.corrections.published().get().note == "Reports differ on the count."
    assert claim.public_updated_at > claim.published_at
    assert log_of(claim)[-2:] == [
        ("propose_correction", "published", "published"),
        ("publish_correction", "published", "published"),
    ]
    assert old.history.count() >= 2, "the library keeps every version of the old verdict"


def test_correction_publishes_evidence_added_after_publication(researcher, editor, editor2):
    claim = make_published(researcher, editor)
    late = services.evidence_create(
        claim=claim, by=researcher, source=SourceFactory(), excerpt="200 police", stance="context"
    )
    assert late.published_at is None
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="Added a second count."
    )
    assert correction.verdict is None
    services.correction_publish(correction=correction, by=editor2)
    late.refresh_from_db()
    assert late.published_at is not None


def test_proposer_cannot_publish_own_correction(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim,
        by=editor,
        kind="clarification",
        note="Clarified wording.",
        conclusion="Clearer.",
    )
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.correction_publish(correction=correction, by=editor)


def test_researcher_cannot_propose_a_correction(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.correction_propose(claim=claim, by=researcher, kind="correction", note="x")


def test_only_one_pending_correction_at_a_time(researcher, editor, editor2, unchanged_database):
    claim = make_published(researcher, editor)
    services.correction_propose(claim=claim, by=editor, kind="update", note="First")
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="pending"):
        services.correction_propose(claim=claim, by=editor2, kind="update", note="Second")


def test_correction_of_a_draft_is_refused(researcher, editor, unchanged_database):
    claim = make_ready_claim(researcher)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.correction_propose(claim=claim, by=editor, kind="correction", note="x")


def test_correction_needs_a_note(researcher, editor, unchanged_database):
    claim = make_published(researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="note"):
        services.correction_propose(claim=claim, by=editor, kind="correction", note=" ")


def test_discarding_a_correction_removes_the_draft_version(researcher, editor, editor2):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="Oops", rating=rating("true")
    )
    services.correction_discard(correction=correction, by=editor2, comment="Not needed")
    assert not Correction.objects.filter(claim=claim).exists()
    assert claim.verdicts.count() == 1
    assert log_of(claim)[-1][0] == "discard_correction"


# --- Offered actions ---------------------------------------------------------------


def test_allowed_actions_follow_role_state_and_authorship(researcher, editor, editor2):
    draft = make_ready_claim(researcher)
    assert services.allowed_actions(claim=draft, user=researcher) == ["submit"]
    in_review = make_in_review(editor, text="Something the editor wrote.")
    assert services.allowed_actions(claim=in_review, user=researcher) == []
    assert services.allowed_actions(claim=in_review, user=editor) == ["request_changes"]
    assert services.allowed_actions(claim=in_review, user=editor2) == ["request_changes", "publish"]
    published = services.claim_publish(claim=in_review, by=editor2)
    assert services.allowed_actions(claim=published, user=editor) == [
        "retract",
        "propose_correction",
    ]


# --- The database backs the rules ---------------------------------------------------


def test_database_refuses_a_reviewer_who_is_the_author(researcher):
    claim = make_ready_claim(researcher)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Verdict.objects.filter(claim=claim).update(reviewer=researcher)


def test_database_refuses_a_second_pending_verdict(researcher):
    claim = make_ready_claim(researcher)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Verdict.objects.create(
            claim=claim,
            number=2,
            rating=rating(),
            conclusion="c",
            explanation="e",
            author=researcher,
        )


def test_database_refuses_a_published_claim_without_a_publication_date(researcher, editor):
    claim = make_published(researcher, editor)
    from claims.models import Claim

    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(published_at=None)


def test_database_refuses_a_retraction_without_reason(researcher, editor):
    claim = make_published(researcher, editor)
    from claims.models import Claim

    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(status="retracted", retraction_reason="")


def test_draft_without_content_lists_every_missing_piece(researcher):
    claim = make_draft(researcher)
    fields = {p.field for p in services.submission_problems(claim)}
    assert fields == {"verdict", "appearances", "evidence"}


# --- The two-person rule covers everyone who wrote the verdict -----------------------


def test_editor_who_edited_a_verdict_cannot_publish_it(
    researcher, editor, editor2, unchanged_database
):
    claim = make_ready_claim(researcher)
    services.verdict_update(
        verdict=claim.verdicts.get(), by=editor, data={"conclusion": "The editor's own conclusion."}
    )
    claim = services.claim_submit(claim=claim, by=researcher)
    with (
        unchanged_database(),
        pytest.raises(exceptions.NotPermitted, match="wrote or changed this fact-check.s verdict"),
    ):
        services.claim_publish(claim=claim, by=editor)
    assert services.claim_publish(claim=claim, by=editor2).status == ClaimStatus.PUBLISHED


def test_editor_who_edited_a_proposed_correction_cannot_publish_it(
    researcher, editor, editor2, superuser, unchanged_database
):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="Count fixed.", rating=rating("true")
    )
    services.verdict_update(
        verdict=correction.verdict, by=editor2, data={"conclusion": "Edited by the second editor."}
    )
    with (
        unchanged_database(),
        pytest.raises(
            exceptions.NotPermitted, match="wrote or changed this fact-check.s correction"
        ),
    ):
        services.correction_publish(correction=correction, by=editor2)
    services.correction_publish(correction=correction, by=superuser)
    claim.refresh_from_db()
    assert claim.published_verdict.conclusion == "Edited by the second editor."


def test_researcher_cannot_change_the_verdict_of_a_pending_correction(
    researcher, editor, unchanged_database
):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="x", rating=rating("true")
    )
    with unchanged_database(), pytest.raises(exceptions.NotPermitted, match="Only editors"):
        services.verdict_update(
            verdict=correction.verdict, by=researcher, data={"rating": rating("false")}
        )


def test_deciding_on_a_correction_edited_since_it_was_read_is_refused(
    researcher, editor, editor2, superuser, unchanged_database
):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="x", rating=rating("true")
    )
    read = services.correction_version(correction)
    services.verdict_update(
        verdict=correction.verdict,
        by=editor,
        data={"conclusion": "Changed after the reviewer read it."},
    )
    with unchanged_database():
        with pytest.raises(exceptions.StaleVersion):
            services.correction_publish(correction=correction, by=editor2, expected_version=read)
        with pytest.raises(exceptions.StaleVersion):
            services.correction_discard(correction=correction, by=editor2, expected_version=read)


def test_a_correction_proposed_from_a_stale_copy_is_refused(
    researcher, editor, editor2, unchanged_database
):
    claim = make_published(researcher, editor)
    seen = claim.version
    first = services.correction_propose(
        claim=claim, by=editor, kind="update", note="First", conclusion="Newer conclusion."
    )
    services.correction_publish(correction=first, by=editor2)
    with unchanged_database(), pytest.raises(exceptions.StaleVersion):
        services.correction_propose(
            claim=claim,
            by=editor,
            kind="correction",
            note="Stale",
            conclusion="The old conclusion, undoing the update.",
            expected_version=seen,
        )


def test_take_step_runs_each_transition_by_name(researcher, editor):
    claim = make_ready_claim(researcher)
    claim = services.take_step("submit", claim=claim, by=researcher)
    claim = services.take_step("publish", claim=claim, by=editor, comment="ok")
    claim = services.take_step("retract", claim=claim, by=editor, comment="Public reason")
    assert (claim.status, claim.retraction_reason) == (ClaimStatus.RETRACTED, "Public reason")
    with pytest.raises(exceptions.TransitionRejected):
        services.take_step("explode", claim=claim, by=editor)


# --- The two-person rule covers all content, not only the verdict -------------


def _changed_by_editor(part, researcher, editor):
    """A draft ready for review in which `editor` changed one part, then submitted."""
    claim = make_ready_claim(researcher)
    if part == "wording":
        services.claim_update(claim=claim, by=editor, data={"text": "The border crisis ended."})
    elif part == "appearance":
        services.appearance_create(
            claim=claim, by=editor, source=claim.evidence.first().source, quote="It ended."
        )
    elif part == "evidence":
        evidence = claim.evidence.first()
        services.evidence_update(
            evidence=evidence, by=editor, data={"note": "Checked against the original."}
        )
    return services.claim_submit(claim=claim, by=researcher)


@pytest.mark.parametrize("part", ["wording", "appearance", "evidence"])
def test_editor_who_changed_the_content_cannot_publish_it(
    part, researcher, editor, editor2, unchanged_database
):
    claim = _changed_by_editor(part, researcher, editor)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted, match=part):
        services.claim_publish(claim=claim, by=editor)
    services.claim_publish(claim=claim, by=editor2)


def test_contributions_end_with_publication(researcher, editor, editor2):
    """What an editor changed before the last publication does not stop them
    publishing a later correction someone else proposed."""
    claim = _changed_by_editor("wording", researcher, editor)
    claim = services.claim_publish(claim=claim, by=editor2)
    correction = services.correction_propose(
        claim=claim, by=editor2, kind="update", note="A newer count."
    )
    services.correction_publish(correction=correction, by=editor)
    assert claim.contributions.unpublished().count() == 0


def test_editor_who_added_evidence_under_a_correction_cannot_publish_it(
    researcher, editor, editor2, unchanged_database
):
    claim = make_published(researcher, editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="New evidence."
    )
    services.evidence_create(
        claim=claim,
        by=editor2,
        source=claim.evidence.first().source,
        excerpt="a later figure",
        stance="refutes",
    )
    with unchanged_database(), pytest.raises(exceptions.NotPermitted, match="evidence"):
        services.correction_publish(correction=correction, by=editor2)


def test_a_public_slug_does_not_reveal_an_unpublished_claim_with_the_same_wording(
    researcher, editor
):
    draft = make_draft(researcher, text="The border crisis is over.")
    published = make_ready_claim(researcher, text="The border crisis is over.")
    assert published.slug == "the-border-crisis-is-over-2"  # the draft was first
    services.claim_submit(claim=published, by=researcher)
    published = services.claim_publish(claim=published, by=editor)
    draft.refresh_from_db()
    assert published.slug == "the-border-crisis-is-over"
    assert published.get_absolute_url().endswith("/the-border-crisis-is-over/")
    assert draft.slug != published.slug and "-2" not in published.slug


def test_a_published_claims_address_is_never_taken_over(researcher, editor, editor2):
    first = make_published(researcher, editor, text="The border crisis is over.")
    second = make_ready_claim(researcher, text="The border crisis is over.")
    services.claim_submit(claim=second, by=researcher)
    second = services.claim_publish(claim=second, by=editor2)
    first.refresh_from_db()
    assert first.slug == "the-border-crisis-is-over"
    assert second.slug == "the-border-crisis-is-over-2"
