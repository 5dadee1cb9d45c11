"""claims.policy: every role × state × action is offered exactly when it succeeds.

For each claim state and each newsroom role, the admin's claim page (its
buttons, correction forms and merge links) and the API's `allowed_actions`
are read, then every action is attempted through the service the admin and
the API call, inside a savepoint that is rolled back. An action offered that
then fails, or refused that would have succeeded, fails the test.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from claims import services
from claims.exceptions import WorkflowError
from claims.models import Claim, Correction, CorrectionKind, TransitionAction
from claims.policy import ClaimPolicy
from tests.claims.api.conftest import client_for
from tests.factories import make_draft, make_in_review, make_published, make_ready_claim

pytestmark = pytest.mark.django_db

A = TransitionAction
ACTIONS = (
    A.SUBMIT,
    A.REQUEST_CHANGES,
    A.PUBLISH,
    A.RETRACT,
    A.PROPOSE_CORRECTION,
    A.PUBLISH_CORRECTION,
    A.DISCARD_CORRECTION,
    A.MERGE,
    A.UNMERGE,
)


class _RollBack(Exception):
    pass


def _pending(claim: Claim) -> Correction | None:
    return claim.corrections.filter(published_at__isnull=True).first()


def _attempt(action: str, claim: Claim, user, canonical: Claim) -> bool:
    """Take `action` through the services, then undo it; whether it succeeded."""
    try:
        with transaction.atomic():
            claim = Claim.objects.get(pk=claim.pk)
            if action in services.STEP_ACTIONS:
                services.take_step(action, claim=claim, by=user, comment="Checked twice.")
            elif action == A.PROPOSE_CORRECTION:
                services.correction_propose(
                    claim=claim,
                    by=user,
                    kind=CorrectionKind.CORRECTION,
                    note="The count was wrong.",
                    conclusion="A corrected conclusion.",
                )
            elif action in {A.PUBLISH_CORRECTION, A.DISCARD_CORRECTION}:
                correction = _pending(claim)
                if correction is None:
                    return False
                decide = (
                    services.correction_publish
                    if action == A.PUBLISH_CORRECTION
                    else services.correction_discard
                )
                decide(correction=correction, by=user)
            elif action == A.MERGE:
                services.claim_merge(duplicate=claim, canonical=canonical, by=user)
            elif action == A.UNMERGE:
                services.claim_unmerge(duplicate=claim, by=user)
            raise _RollBack
    except _RollBack:
        return True
    except WorkflowError:
        return False


def _offered_in_admin(client, claim: Claim) -> set[str]:
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    if page.status_code != 200:
        return set()
    html = page.content.decode()
    urls = {
        **{
            a: reverse("admin:claims_claim_workflow", args=[claim.pk, a])
            for a in services.STEP_ACTIONS
        },
        A.PROPOSE_CORRECTION: reverse("admin:claims_claim_correction_propose", args=[claim.pk]),
        A.PUBLISH_CORRECTION: reverse(
            "admin:claims_claim_correction_decide", args=[claim.pk, "publish"]
        ),
        A.DISCARD_CORRECTION: reverse(
            "admin:claims_claim_correction_decide", args=[claim.pk, "discard"]
        ),
        A.MERGE: reverse("admin:claims_claim_merge", args=[claim.pk]),
        A.UNMERGE: reverse("admin:claims_claim_unmerge", args=[claim.pk]),
    }
    return {action for action, url in urls.items() if f'"{url}"' in html}


def _offered_in_api(client, claim: Claim) -> set[str] | None:
    response = client.get(f"/api/v1/claims/{claim.pk}/")
    if response.status_code != 200:
        return None
    # Readers' and retracted claims' representations carry no newsroom part:
    # they offer nothing, which must then be what succeeds.
    return set((response.json().get("newsroom") or {}).get("allowed_actions", []))


@pytest.fixture
def states(researcher, editor, editor2):
    """One claim in each state a newsroom meets, reached through the services."""
    canonical = make_published(researcher, editor, text="Peru deployed 180 police officers.")
    edited_in_review = make_ready_claim(researcher, text="Edited by an editor before review.")
    services.claim_update(
        claim=edited_in_review, by=editor, data={"context": "Said at a press briefing."}
    )
    edited_in_review = services.claim_submit(claim=edited_in_review, by=researcher)
    with_correction = make_published(researcher, editor2, text="The crisis has been overcome.")
    services.correction_propose(
        claim=with_correction,
        by=editor,
        kind=CorrectionKind.UPDATE,
        note="A newer count.",
        conclusion="A newer count shows more people.",
    )
    with_new_evidence = make_published(researcher, editor2, text="Most crimes are by migrants.")
    services.evidence_create(
        claim=with_new_evidence,
        by=editor,
        source=canonical.evidence.first().source,
        excerpt="a new figure",
        stance="refutes",
    )
    services.correction_propose(
        claim=with_new_evidence, by=editor2, kind=CorrectionKind.UPDATE, note="New evidence."
    )
    retracted = make_published(researcher, editor, text="A retracted check.")
    services.claim_retract(claim=retracted, by=editor, reason="Sourced wrongly.")
    merged = make_draft(researcher, text="Peru has deployed 180 police.")
    services.claim_merge(duplicate=merged, canonical=canonical, by=editor)
    return canonical, {
        "draft incomplete": make_draft(researcher, text="An incomplete draft."),
        "draft ready": make_ready_claim(researcher, text="A complete draft."),
        "in review": make_in_review(researcher, text="Waiting for review."),
        "in review, wording changed by an editor": edited_in_review,
        "published": make_published(researcher, editor, text="A published check."),
        "pending correction": with_correction,
        "correction after an editor added evidence": with_new_evidence,
        "retracted": retracted,
        "merged": merged,
    }


def test_every_action_is_offered_exactly_when_it_succeeds(
    states, researcher, editor, editor2, outsider
):
    canonical, claims = states
    mismatches = []
    for user in (researcher, editor, editor2, outsider):
        admin, api = client_for(user), client_for(user)
        admin.force_login(user)
        for state, claim in claims.items():
            claim.refresh_from_db()
            policy = ClaimPolicy(user, claim)
            in_admin = _offered_in_admin(admin, claim)
            in_api = _offered_in_api(api, claim)
            for action in ACTIONS:
                succeeds = _attempt(action, claim, user, canonical)
                offered = action in in_admin
                if offered != succeeds:
                    mismatches.append(f"admin {user} / {state} / {action}: offered={offered}")
                # The API lists workflow steps and correction decisions (it has no merge).
                api_lists = in_api is not None and action not in {A.MERGE, A.UNMERGE}
                if api_lists and (action in in_api) != succeeds:
                    mismatches.append(f"API {user} / {state} / {action}: listed={not succeeds}")
                # The policy, asked directly, agrees too.
                if (
                    action in policy._step_checks()
                    and bool(policy.decision_for(action)) != succeeds
                ):
                    mismatches.append(f"policy {user} / {state} / {action}")
    assert mismatches == []


def test_the_matrix_sees_the_cases_that_matter(states, researcher, editor, editor2):
    """The matrix above would pass vacuously if nothing were ever allowed."""
    canonical, claims = states
    assert _attempt(A.SUBMIT, claims["draft ready"], researcher, canonical)
    assert not _attempt(A.SUBMIT, claims["draft incomplete"], researcher, canonical)
    assert _attempt(A.PUBLISH, claims["in review"], editor, canonical)
    # The editor changed the wording: only the other editor may publish.
    assert not _attempt(
        A.PUBLISH, claims["in review, wording changed by an editor"], editor, canonical
    )
    assert _attempt(
        A.PUBLISH, claims["in review, wording changed by an editor"], editor2, canonical
    )
    assert not _attempt(A.PUBLISH_CORRECTION, claims["pending correction"], editor, canonical)
    assert _attempt(A.PUBLISH_CORRECTION, claims["pending correction"], editor2, canonical)
    # editor2 proposed this correction, and editor added evidence since publication.
    assert not _attempt(
        A.PUBLISH_CORRECTION, claims["correction after an editor added evidence"], editor, canonical
    )
    assert _attempt(A.MERGE, claims["draft ready"], editor, canonical)
    assert _attempt(A.UNMERGE, claims["merged"], editor, canonical)
