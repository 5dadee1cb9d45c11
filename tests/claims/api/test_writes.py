"""Writes through the API: the same rules as the admin, because the same
services and workflow run them (acceptance 3), and no lost updates."""

import json

import pytest

from claims.models import Appearance, Claim, ClaimStatus, Evidence, Transition
from tests.claims.api.conftest import client_for
from tests.factories import ClaimantFactory, SourceFactory, TopicFactory, make_in_review

pytestmark = pytest.mark.django_db


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response["ETag"]


def transition(client, claim_id, action, etag, comment=""):
    return client.post(
        f"/api/v1/claims/{claim_id}/transitions/",
        {"action": action, "comment": comment},
        HTTP_IF_MATCH=etag,
    )


def build_ready_draft(client):
    """A researcher's draft, complete enough to submit, built entirely through the API."""
    claimant = ClaimantFactory(slug="minister")
    TopicFactory(slug="migration")
    first, second = SourceFactory(slug="first-report"), SourceFactory(slug="second-report")
    created = client.post(
        "/api/v1/claims/",
        {
            "text": "Fewer than 30 migrants remain at the border.",
            "claimant": claimant.slug,
            "topics": ["migration"],
            "first_made_on": "2023-04-28",
        },
    )
    assert created.status_code == 201, created.content
    claim_id = created.json()["id"]
    assert created["Location"] == f"http://testserver/api/v1/claims/{claim_id}/"
    base = f"/api/v1/claims/{claim_id}"
    assert (
        client.post(
            f"{base}/appearances/", {"source": first.slug, "quote": "Fewer than 30 remain."}
        ).status_code
        == 201
    )
    for source, excerpt in ((first, "30 remain"), (second, "150 stranded")):
        response = client.post(
            f"{base}/evidence/",
            {
                "source": source.slug,
                "excerpt": excerpt,
                "stance": "refutes",
                "figure": {"quantity": "People at the border", "value": "150", "unit": "people"},
            },
        )
        assert response.status_code == 201, response.content
    verdict = client.post(
        f"{base}/verdict/",
        {"rating": "false", "conclusion": "About 150 remain.", "explanation": "Two counts."},
    )
    assert verdict.status_code == 201, verdict.content
    return claim_id


def test_draft_submit_publish_flow_through_the_api(as_researcher, as_editor, researcher):
    claim_id = build_ready_draft(as_researcher)
    detail = as_researcher.get(f"/api/v1/claims/{claim_id}/").json()
    assert detail["status"] == "draft"
    assert detail["newsroom"]["submission_problems"] == []
    assert "submit" in detail["newsroom"]["allowed_actions"]
    assert detail["evidence"][0]["figure"]["value"] == "150"  # not "150.0000"

    etag = etag_of(as_researcher, f"/api/v1/claims/{claim_id}/")
    submitted = transition(as_researcher, claim_id, "submit", etag)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "in_review"

    published = transition(as_editor, claim_id, "publish", submitted["ETag"], "Checked.")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    claim = Claim.objects.get(pk=claim_id)
    assert claim.is_public and claim.published_verdict.reviewer.username == "eddie"
    assert list(claim.transitions.values_list("action", "actor__username")) == [
        ("create", "rita"),
        ("submit", "rita"),
        ("publish", "eddie"),
    ]


def test_researcher_token_cannot_publish(as_researcher, researcher, unchanged_database):
    claim = make_in_review(researcher)
    etag = etag_of(as_researcher, f"/api/v1/claims/{claim.pk}/")
    with unchanged_database():
        response = transition(as_researcher, claim.pk, "publish", etag)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You do not have permission to publish.",
        "code": "permission",
        "errors": {},
    }


def test_author_cannot_publish_their_own_verdict(editor, unchanged_database):
    as_author = client_for(editor)
    claim = make_in_review(editor)  # the editor wrote the verdict
    etag = etag_of(as_author, f"/api/v1/claims/{claim.pk}/")
    with unchanged_database():
        response = transition(as_author, claim.pk, "publish", etag)
    assert response.status_code == 403
    assert response.json()["code"] == "two_person_rule"
    assert "another editor" in response.json()["detail"]


def test_rejected_transition_is_409_with_the_workflows_message(
    as_editor, researcher, unchanged_database
):
    claim = make_in_review(researcher)
    etag = etag_of(as_editor, f"/api/v1/claims/{claim.pk}/")
    with unchanged_database():
        response = transition(as_editor, claim.pk, "retract", etag, "Wrong.")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Only a published fact-check can be retracted.",
        "code": "state",
        "errors": {},
    }


def test_incomplete_draft_cannot_be_submitted(as_researcher, researcher, unchanged_database):
    created = as_researcher.post("/api/v1/claims/", {"text": "An unchecked claim."})
    with unchanged_database():
        response = transition(as_researcher, created.json()["id"], "submit", created["ETag"])
    assert response.status_code == 409
    assert response.json()["code"] == "incomplete"


def test_stale_if_match_is_412_and_changes_nothing(as_researcher, researcher, unchanged_database):
    created = as_researcher.post("/api/v1/claims/", {"text": "The first wording."})
    claim_id, stale = created.json()["id"], created["ETag"]
    fresh = as_researcher.patch(
        f"/api/v1/claims/{claim_id}/", {"text": "A colleague's wording."}, HTTP_IF_MATCH=stale
    )
    assert fresh.status_code == 200
    assert fresh["ETag"] != stale
    with unchanged_database():
        response = as_researcher.patch(
            f"/api/v1/claims/{claim_id}/", {"text": "My late wording."}, HTTP_IF_MATCH=stale
        )
        assert response.status_code == 412
        assert response.json()["code"] == "stale"
        response = transition(as_researcher, claim_id, "submit", stale)
        assert response.status_code == 412
    assert Claim.objects.get(pk=claim_id).text == "A colleague's wording."


def test_missing_if_match_is_428_and_changes_nothing(as_researcher, researcher, unchanged_database):
    created = as_researcher.post("/api/v1/claims/", {"text": "A claim."})
    claim_id = created.json()["id"]
    with unchanged_database():
        for response in (
            as_researcher.patch(f"/api/v1/claims/{claim_id}/", {"text": "Changed."}),
            as_researcher.patch(
                f"/api/v1/claims/{claim_id}/", {"text": "Changed."}, HTTP_IF_MATCH="*"
            ),
            as_researcher.post(f"/api/v1/claims/{claim_id}/transitions/", {"action": "submit"}),
        ):
            assert response.status_code == 428
            assert response.json()["code"] == "precondition_required"


def test_if_match_of_another_object_is_412(as_researcher, researcher, unchanged_database):
    first = as_researcher.post("/api/v1/claims/", {"text": "First."})
    second = as_researcher.post("/api/v1/claims/", {"text": "Second."})
    with unchanged_database():
        response = as_researcher.patch(
            f"/api/v1/claims/{second.json()['id']}/",
            {"text": "Changed."},
            HTTP_IF_MATCH=first["ETag"],
        )
    assert response.status_code == 412


def test_new_evidence_does_not_make_a_wording_edit_stale(as_researcher, researcher):
    """As in the admin: the claim's version guards its own fields only."""
    claim_id = build_ready_draft(as_researcher)
    etag = etag_of(as_researcher, f"/api/v1/claims/{claim_id}/")
    as_researcher.post(
        f"/api/v1/claims/{claim_id}/evidence/",
        {"source": "first-report", "excerpt": "more", "stance": "context"},
    )
    assert etag_of(as_researcher, f"/api/v1/claims/{claim_id}/") != etag  # representation moved
    response = as_researcher.patch(
        f"/api/v1/claims/{claim_id}/", {"context": "Said at a briefing."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content


def test_weak_etag_from_a_proxy_still_identifies_the_version(as_researcher, researcher):
    created = as_researcher.post("/api/v1/claims/", {"text": "A claim."})
    response = as_researcher.patch(
        f"/api/v1/claims/{created.json()['id']}/",
        {"text": "Changed."},
        HTTP_IF_MATCH=f"W/{created['ETag']}",
    )
    assert response.status_code == 200


def test_claim_in_review_is_frozen(as_researcher, researcher, unchanged_database):
    claim = make_in_review(researcher)
    etag = etag_of(as_researcher, f"/api/v1/claims/{claim.pk}/")
    with unchanged_database():
        response = as_researcher.patch(
            f"/api/v1/claims/{claim.pk}/", {"text": "Changed."}, HTTP_IF_MATCH=etag
        )
    assert response.status_code == 409
    assert response.json()["code"] == "locked"


def test_invalid_input_is_400_with_field_errors(as_researcher, researcher, unchanged_database):
    with unchanged_database():
        response = as_researcher.post(
            "/api/v1/claims/",
            {"text": "", "claimant": "nobody", "topics": ["nowhere"], "first_made_on": "soon"},
        )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"text", "claimant", "topics", "first_made_on"}


def test_model_validation_errors_are_400(as_researcher, researcher, unchanged_database):
    source = SourceFactory(snapshot="The minister spoke on Monday.")
    created = as_researcher.post("/api/v1/claims/", {"text": "A claim."})
    with unchanged_database():
        response = as_researcher.post(
            f"/api/v1/claims/{created.json()['id']}/appearances/",
            {"source": source.slug, "quote": "Words nobody said."},
        )
    assert response.status_code == 400
    assert "quote" in response.json()["errors"]


def test_anonymous_and_roleless_clients_cannot_write(anon, outsider, unchanged_database):
    with unchanged_database():
        assert anon.post("/api/v1/claims/", {"text": "A claim."}).status_code == 401
        response = client_for(outsider).post("/api/v1/claims/", {"text": "A claim."})
        assert response.status_code == 403


def test_non_staff_token_cannot_write_even_with_a_role(researcher, unchanged_database):
    researcher.is_staff = False
    researcher.save()
    with unchanged_database():
        response = client_for(researcher).post("/api/v1/claims/", {"text": "A claim."})
    assert response.status_code == 403


def test_researcher_cannot_retract_or_request_changes(
    as_researcher, researcher, editor, unchanged_database
):
    claim = make_in_review(researcher)
    etag = etag_of(as_researcher, f"/api/v1/claims/{claim.pk}/")
    with unchanged_database():
        response = transition(as_researcher, claim.pk, "request_changes", etag, "Fix it.")
    assert response.status_code == 403


def test_request_changes_returns_the_claim_to_draft(as_editor, researcher):
    claim = make_in_review(researcher)
    etag = etag_of(as_editor, f"/api/v1/claims/{claim.pk}/")
    response = transition(as_editor, claim.pk, "request_changes", etag, "Add a source.")
    assert response.status_code == 200
    assert response.json()["status"] == ClaimStatus.DRAFT
    assert Transition.objects.filter(claim=claim, action="request_changes").exists()


def test_items_are_edited_and_removed_with_their_own_etag(as_researcher, researcher):
    claim_id = build_ready_draft(as_researcher)
    evidence = Evidence.objects.filter(claim_id=claim_id).first()
    url = f"/api/v1/claims/{claim_id}/evidence/{evidence.pk}/"
    etag = etag_of(as_researcher, url)
    edited = as_researcher.patch(
        url, {"note": "Counted twice.", "figure": None}, HTTP_IF_MATCH=etag
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["figure"] is None and edited.json()["note"] == "Counted twice."
    assert as_researcher.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert as_researcher.delete(url, HTTP_IF_MATCH=edited["ETag"]).status_code == 204
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_published_items_cannot_be_edited_but_new_ones_stay_private(
    as_researcher, researcher, editor, anon
):
    from tests.factories import make_published

    claim = make_published(researcher, editor)
    appearance = Appearance.objects.filter(claim=claim).first()
    url = f"/api/v1/claims/{claim.pk}/appearances/{appearance.pk}/"
    response = as_researcher.patch(url, {"quote": "Changed"}, HTTP_IF_MATCH=etag_of(anon, url))
    assert response.status_code == 409
    added = as_researcher.post(
        f"/api/v1/claims/{claim.pk}/appearances/",
        {"source": appearance.source.slug, "quote": "Said again on radio."},
    )
    assert added.status_code == 201
    assert added.json()["published_at"] is None
    assert anon.get(added["Location"]).status_code == 404


def test_verdict_written_and_edited_with_if_match(as_researcher, researcher):
    claim_id = build_ready_draft(as_researcher)
    url = f"/api/v1/claims/{claim_id}/verdict/"
    etag = etag_of(as_researcher, url)
    assert as_researcher.patch(url, {"conclusion": "Changed."}).status_code == 428
    edited = as_researcher.patch(url, {"conclusion": "Changed."}, HTTP_IF_MATCH=etag)
    assert edited.status_code == 200 and edited.json()["conclusion"] == "Changed."
    stale = as_researcher.patch(url, {"conclusion": "Again."}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    second = as_researcher.post(
        url, {"rating": "true", "conclusion": "Another.", "explanation": "No."}
    )
    assert second.status_code == 409 and second.json()["code"] == "duplicate"


def test_published_verdict_is_never_edited_in_place(as_editor, researcher, editor, anon):
    from tests.factories import make_published

    claim = make_published(researcher, editor)
    url = f"/api/v1/claims/{claim.pk}/verdict/"
    response = as_editor.patch(url, {"conclusion": "Changed."}, HTTP_IF_MATCH=etag_of(anon, url))
    assert response.status_code == 409
    assert response.json()["code"] == "published_verdict"


def test_corrections_are_proposed_and_published_by_two_editors(
    as_editor, as_editor2, researcher, editor, anon
):
    from tests.factories import make_published

    claim = make_published(researcher, editor)
    claim_url = f"/api/v1/claims/{claim.pk}/"
    proposed = as_editor.post(
        f"{claim_url}corrections/",
        {"kind": "correction", "note": "A later count.", "rating": "mostly-false"},
        HTTP_IF_MATCH=etag_of(as_editor, claim_url),
    )
    assert proposed.status_code == 201, proposed.content
    correction = proposed.json()
    assert correction["published_at"] is None and correction["verdict"]["number"] == 2
    publish_url = f"{claim_url}corrections/{correction['id']}/publish/"
    same_editor = as_editor.post(publish_url, HTTP_IF_MATCH=proposed["ETag"])
    assert same_editor.status_code == 403
    assert same_editor.json()["code"] == "two_person_rule"
    published = as_editor2.post(publish_url, HTTP_IF_MATCH=proposed["ETag"])
    assert published.status_code == 200, published.content
    body = anon.get(claim_url).json()
    assert body["rating"]["slug"] == "mostly-false"
    assert [c["note"] for c in body["corrections"]] == ["A later count."]


def test_correction_publish_refuses_a_verdict_edited_after_reading(
    as_editor, as_editor2, researcher, editor, unchanged_database
):
    from tests.factories import make_published

    claim = make_published(researcher, editor)
    claim_url = f"/api/v1/claims/{claim.pk}/"
    proposed = as_editor.post(
        f"{claim_url}corrections/",
        {"kind": "update", "note": "New figures.", "conclusion": "New conclusion."},
        HTTP_IF_MATCH=etag_of(as_editor, claim_url),
    )
    verdict_url = f"{claim_url}verdict/"
    edited = as_editor.patch(
        verdict_url,
        {"conclusion": "Edited after the reviewer read it."},
        HTTP_IF_MATCH=etag_of(as_editor, verdict_url),
    )
    assert edited.status_code == 200, edited.content
    with unchanged_database():
        response = as_editor2.post(
            f"{claim_url}corrections/{proposed.json()['id']}/publish/",
            HTTP_IF_MATCH=proposed["ETag"],
        )
    assert response.status_code == 412


@pytest.mark.parametrize("field", ["claimant", "assigned_to"])
def test_blank_related_slug_is_refused_not_taken_as_null(researcher, field, unchanged_database):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(researcher)
    with unchanged_database():
        response = client.post("/api/v1/claims/", {"text": "A claim", field: ""}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_max_length_counts_the_characters_sent_as_the_schema_says(researcher, unchanged_database):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(researcher)
    with unchanged_database():
        response = client.post("/api/v1/claims/", {"text": "\t" + "x" * 500}, format="json")
    assert response.status_code == 400 and "text" in response.json()["errors"]
    ok = client.post("/api/v1/claims/", {"text": "  A claim  "}, format="json")
    assert ok.status_code == 201 and ok.json()["text"] == "A claim"


def test_whitespace_only_text_is_refused(researcher, unchanged_database):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(researcher)
    with unchanged_database():
        response = client.post("/api/v1/claims/", {"text": "   "}, format="json")
    assert response.status_code == 400


def test_written_text_loses_control_and_bidi_characters(as_researcher):
    body = {"text": "Bell\x07 form\x0cfeed \u202eoverride\ud800", "context": "tab\tkept\nok"}
    created = as_researcher.post(
        "/api/v1/claims/", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    claim = Claim.objects.get(pk=created.data["id"])
    assert claim.text == "Bell formfeed override"
    assert claim.context == "tab\tkept\nok"


@pytest.mark.parametrize(
    "body",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"text": "deep", "topics": ' + "[" * 200 + "]" * 200 + "}",
        '{"text": "x", "parent": ' + "9" * 5000 + "}",
        '{"text": "x", "parent": ' + "9" * 400 + "}",
        '{"text": "x", "parent": 1e400}',
        '{"text": "x", "parent": ' + "9" * 40 + "}",
        '{"text": "\\ud800"}',
    ],
    ids=["recursion", "too-deep", "int-limit", "long-int", "overflow", "big-int", "surrogate"],
)
def test_hostile_json_is_a_clean_400_and_writes_nothing(as_researcher, body, unchanged_database):
    with unchanged_database():
        response = as_researcher.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] in {"parse_error", "invalid"}, response.json()
