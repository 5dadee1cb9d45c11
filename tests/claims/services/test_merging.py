"""Merging duplicate claims (claims.services.claim_merge / claim_unmerge), the
repetition count that follows them (claims.selectors), and the admin pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from claims import exceptions, services
from claims.models import Appearance, Claim, ClaimStatus, Transition, TransitionAction
from claims.policy import ClaimPolicy
from claims.search import search_claims
from claims.selectors import claim_page, claim_page_queryset, public_claims, with_repetitions
from tests.factories import SourceFactory, make_draft, make_in_review, make_published

pytestmark = pytest.mark.django_db


def repeated(claim, by, *, days_after_rating, quote="Said again."):
    """An appearance dated `days_after_rating` days after the claim was first published."""
    day = timezone.localdate(claim.published_at) + datetime.timedelta(days=days_after_rating)
    return services.appearance_create(
        claim=claim, by=by, source=SourceFactory(), quote=quote, appeared_on=day
    )


def repetitions(claim):
    counted = claim_page_queryset().get(pk=claim.pk).repetitions_since_rating
    # The reader's page counts the same in Python, from its loaded appearances.
    assert claim_page(slug=claim.slug).repetitions_since_rating == counted
    return counted


@pytest.fixture
def pair(researcher, editor):
    """Two published fact-checks of the same claim."""
    canonical = make_published(researcher, editor, text="Migrants commit most crimes in Lima.")
    duplicate = make_published(researcher, editor, text="Migrants commit most of Lima's crimes.")
    return canonical, duplicate


def publish_pending(claim, editor, editor2):
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="New repetitions recorded."
    )
    services.correction_publish(correction=correction, by=editor2)


# --- Merge -----------------------------------------------------------------------------


def test_merge_moves_the_appearances_and_remembers_where_they_came_from(pair, researcher, editor2):
    canonical, duplicate = pair
    moved = list(duplicate.appearances.values_list("pk", flat=True))
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == canonical
    assert duplicate.status == ClaimStatus.PUBLISHED  # its history stays as it was
    assert not duplicate.appearances.exists()
    assert set(
        Appearance.objects.filter(merged_from=duplicate).values_list("pk", flat=True)
    ) == set(moved)
    assert set(moved) <= set(canonical.appearances.values_list("pk", flat=True))


def test_merge_is_logged_on_both_claims(pair, editor2):
    canonical, duplicate = pair
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2, comment="Same.")
    on_duplicate = Transition.objects.get(claim=duplicate, action=TransitionAction.MERGE)
    on_canonical = Transition.objects.get(claim=canonical, action=TransitionAction.MERGE)
    assert on_duplicate.actor == on_canonical.actor == editor2
    assert f"#{canonical.pk}" in on_duplicate.comment and "Same." in on_duplicate.comment
    assert f"#{duplicate.pk}" in on_canonical.comment
    assert on_duplicate.from_status == on_duplicate.to_status == ClaimStatus.PUBLISHED


def test_a_merged_fact_check_leaves_the_public_lists_and_its_url_redirects(pair, editor2, client):
    canonical, duplicate = pair
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    assert list(public_claims()) == [canonical]
    assert list(search_claims(public_claims(), "Lima")) == [canonical]
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == canonical.get_absolute_url()
    assert client.get(canonical.get_absolute_url()).status_code == 200


def test_repetitions_follow_the_appearances_through_merge_and_unmerge(
    pair, researcher, editor, editor2
):
    canonical, duplicate = pair
    repeated(duplicate, researcher, days_after_rating=3)
    repeated(duplicate, researcher, days_after_rating=40)
    repeated(canonical, researcher, days_after_rating=5)
    publish_pending(duplicate, editor, editor2)
    publish_pending(canonical, editor, editor2)
    assert (repetitions(canonical), repetitions(duplicate)) == (1, 2)

    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    assert repetitions(canonical) == 3
    services.claim_unmerge(duplicate=duplicate, by=editor2)
    assert (repetitions(canonical), repetitions(duplicate)) == (1, 2)


def test_unmerge_moves_exactly_the_merged_appearances_back(pair, researcher, editor2, client):
    canonical, duplicate = pair
    own = set(canonical.appearances.values_list("pk", flat=True))
    moved = set(duplicate.appearances.values_list("pk", flat=True))
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    added_later = repeated(canonical, researcher, days_after_rating=2)
    services.claim_unmerge(duplicate=duplicate, by=editor2, comment="Different claims.")

    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert set(duplicate.appearances.values_list("pk", flat=True)) == moved
    assert set(canonical.appearances.values_list("pk", flat=True)) == own | {added_later.pk}
    assert not Appearance.objects.filter(merged_from__isnull=False).exists()
    assert Transition.objects.filter(action=TransitionAction.UNMERGE).count() == 2
    assert duplicate in public_claims()
    assert client.get(duplicate.get_absolute_url()).status_code == 200


def test_a_draft_merged_into_a_fact_check_adds_pending_repetitions(researcher, editor, editor2):
    canonical = make_published(researcher, editor, text="Migrants commit most crimes in Lima.")
    draft = make_draft(researcher, text="Migrants commit most of Lima's crimes.")
    later = timezone.localdate(canonical.published_at) + datetime.timedelta(days=9)
    services.appearance_create(
        claim=draft, by=researcher, source=SourceFactory(), quote="Again.", appeared_on=later
    )
    services.claim_merge(duplicate=draft, canonical=canonical, by=editor)
    # Not public until the canonical fact-check's next update is published
    # (by a second editor, like any addition to a published fact-check).
    assert repetitions(canonical) == 0
    publish_pending(canonical, editor, editor2)
    assert repetitions(canonical) == 1


def test_the_search_vector_follows_the_merge(pair, researcher, editor, editor2):
    canonical, duplicate = pair
    services.appearance_create(
        claim=duplicate, by=researcher, source=SourceFactory(), quote="Said in Chacalluta."
    )
    publish_pending(duplicate, editor, editor2)
    assert list(search_claims(public_claims(), "chacalluta")) == [duplicate]
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    assert list(search_claims(public_claims(), "chacalluta")) == [canonical]
    services.claim_unmerge(duplicate=duplicate, by=editor2)
    assert list(search_claims(public_claims(), "chacalluta")) == [duplicate]


def test_a_merged_claim_cannot_change_state_or_content(pair, researcher, editor, editor2):
    canonical, duplicate = pair
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    duplicate.refresh_from_db()
    assert ClaimPolicy(editor, duplicate).editable_fields() == frozenset()
    with pytest.raises(exceptions.TransitionRejected):
        services.claim_update(claim=duplicate, by=editor, data={"text": "Changed."})
    with pytest.raises(exceptions.TransitionRejected):
        services.appearance_create(
            claim=duplicate, by=researcher, source=SourceFactory(), quote="x"
        )


# --- Refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        "itself",
        "into_merged",
        "chain",
        "retracted",
        "into_review",
        "published_into_draft",
        "sub_claim",
    ],
)
def test_merges_that_would_break_the_record_are_refused(
    case, researcher, editor, editor2, unchanged_database
):
    canonical = make_published(researcher, editor, text="Canonical claim.")
    other = make_published(researcher, editor, text="Other claim.")
    if case == "itself":
        duplicate, target = canonical, canonical
    elif case == "into_merged":
        services.claim_merge(duplicate=other, canonical=canonical, by=editor2)
        duplicate, target = make_draft(researcher, text="Third."), other
    elif case == "chain":
        services.claim_merge(duplicate=other, canonical=canonical, by=editor2)
        duplicate, target = canonical, make_published(researcher, editor, text="Fourth.")
    elif case == "retracted":
        services.claim_retract(claim=other, by=editor, reason="Wrong.")
        duplicate, target = other, canonical
    elif case == "into_review":
        duplicate, target = make_draft(researcher, text="A draft."), make_in_review(researcher)
    elif case == "published_into_draft":
        duplicate, target = other, make_draft(researcher, text="A draft.")
    else:
        duplicate = make_draft(researcher, text="A sub-claim.", parent=canonical)
        target = canonical
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.claim_merge(duplicate=duplicate, canonical=target, by=editor2)


def test_only_editors_merge(pair, researcher, unchanged_database):
    canonical, duplicate = pair
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.claim_merge(duplicate=duplicate, canonical=canonical, by=researcher)
    assert Group.objects.get(name="Editor").permissions.filter(codename="merge_claim").exists()
    assert (
        not Group.objects.get(name="Researcher").permissions.filter(codename="merge_claim").exists()
    )


def test_unmerging_a_claim_that_is_not_merged_is_refused(pair, editor2, unchanged_database):
    _canonical, duplicate = pair
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
        services.claim_unmerge(duplicate=duplicate, by=editor2)


def test_only_editors_unmerge(pair, researcher, editor2, unchanged_database):
    canonical, duplicate = pair
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    with unchanged_database(), pytest.raises(exceptions.NotPermitted):
        services.claim_unmerge(duplicate=duplicate, by=researcher)


# --- Repetitions ------------------------------------------------------------------------------


def test_repetitions_count_published_appearances_dated_after_the_rating_day(
    researcher, editor, editor2
):
    claim = make_published(researcher, editor)  # its first appearance is undated
    repeated(claim, researcher, days_after_rating=0)  # the same day: not after
    repeated(claim, researcher, days_after_rating=1)
    repeated(claim, researcher, days_after_rating=-30)  # before the rating
    assert repetitions(claim) == 0  # none published yet
    publish_pending(claim, editor, editor2)
    assert repetitions(claim) == 1
    assert with_repetitions(public_claims()).get(pk=claim.pk).repetitions_since_rating == 1


def test_repetitions_add_no_query_to_the_public_list(researcher, editor, django_assert_num_queries):
    for n in range(3):
        make_published(researcher, editor, text=f"Claim {n}")
    with django_assert_num_queries(2):  # claims, then their topics
        rows = [c.repetitions_since_rating for c in with_repetitions(public_claims())]
    assert rows == [0, 0, 0]


# --- Admin ---------------------------------------------------------------------------------------


def test_an_editor_merges_and_unmerges_from_the_claim_page(pair, client, editor2):
    canonical, duplicate = pair
    client.force_login(editor2)
    change = client.get(reverse("admin:claims_claim_change", args=[duplicate.pk]))
    merge_url = reverse("admin:claims_claim_merge", args=[duplicate.pk])
    assert merge_url in change.content.decode()

    page = client.get(merge_url)
    assert page.status_code == 200
    assert f"?canonical={canonical.pk}" in page.content.decode()  # suggested as similar

    response = client.post(merge_url, {"canonical": canonical.pk, "comment": "Same claim."})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == canonical

    unmerge_url = reverse("admin:claims_claim_unmerge", args=[duplicate.pk])
    change = client.get(reverse("admin:claims_claim_change", args=[duplicate.pk]))
    assert unmerge_url in change.content.decode()
    assert client.post(unmerge_url, {"comment": ""}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_the_admin_shows_a_refused_merge_and_changes_nothing(
    pair, client, editor2, unchanged_database
):
    _canonical, duplicate = pair
    client.force_login(editor2)
    with unchanged_database():
        response = client.post(
            reverse("admin:claims_claim_merge", args=[duplicate.pk]),
            {"canonical": duplicate.pk},
        )
    assert response.status_code == 200
    assert "cannot be merged into itself" in response.content.decode()


def test_researchers_get_no_merge_page(pair, client, researcher):
    _canonical, duplicate = pair
    client.force_login(researcher)
    merge_url = reverse("admin:claims_claim_merge", args=[duplicate.pk])
    change_url = reverse("admin:claims_claim_change", args=[duplicate.pk])
    # Sent back to the claim with the policy's reason, before any form is shown.
    response = client.get(merge_url, follow=True)
    assert response.redirect_chain == [(change_url, 302)]
    assert "permission" in " ".join(str(m) for m in response.context["messages"])
    assert client.post(merge_url, {"canonical": "1"}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    change = client.get(change_url)
    assert reverse("admin:claims_claim_merge", args=[duplicate.pk]) not in change.content.decode()


def test_a_merged_claim_is_not_accepted_as_a_merge_target(pair, client, editor2, researcher):
    canonical, duplicate = pair
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    third = make_draft(researcher, text="A third claim.")
    client.force_login(editor2)
    response = client.post(
        reverse("admin:claims_claim_merge", args=[third.pk]), {"canonical": duplicate.pk}
    )
    assert response.status_code == 200
    assert "no claim with this number to merge into" in response.content.decode()
    assert Claim.objects.get(pk=third.pk).merged_into is None


def test_a_merged_published_duplicate_cannot_be_retracted_or_corrected(
    researcher, editor, editor2, unchanged_database
):
    from claims import services
    from tests.factories import make_published

    canonical = make_published(researcher, editor, text="The migrant crisis is over")
    duplicate = make_published(researcher, editor, text="The migrant crisis has ended")
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    duplicate.refresh_from_db()
    with unchanged_database():
        with pytest.raises(exceptions.TransitionRejected, match="merged"):
            services.claim_retract(claim=duplicate, by=editor, reason="x")
        with pytest.raises(exceptions.TransitionRejected, match="merged"):
            services.correction_propose(claim=duplicate, by=editor, kind="update", note="x")
    assert services.allowed_actions(claim=duplicate, user=editor2) == []


def test_no_correction_is_published_on_a_merged_claim_and_none_pending_is_merged(
    researcher, editor, editor2, superuser, unchanged_database
):
    from claims import services
    from tests.factories import make_published, rating

    canonical = make_published(researcher, editor, text="The border is closed")
    duplicate = make_published(researcher, editor, text="The border has been closed")
    correction = services.correction_propose(
        claim=duplicate, by=editor, kind="correction", note="x", rating=rating("true")
    )
    with unchanged_database(), pytest.raises(exceptions.TransitionRejected, match="pending"):
        services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    services.correction_discard(correction=correction, by=editor2)
    services.claim_merge(duplicate=duplicate, canonical=canonical, by=editor2)
    from claims.models import Correction

    assert not Correction.objects.filter(claim=duplicate).exists()
