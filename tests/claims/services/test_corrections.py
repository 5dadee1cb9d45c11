"""Corrections that can correct everything readers see: the wording, context and
claimant too, through the same two-person path as a new verdict."""

import pytest
from django.urls import reverse

from claims import exceptions, services
from claims.claimreview.build import claim_review
from claims.models import Claim, Correction, Verdict
from tests.claims.api.conftest import client_for
from tests.factories import ClaimantFactory, make_published, rating
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(researcher, editor):
    return make_published(
        researcher,
        editor,
        text="Peru deployed 180 police officers.",
        context="Said in a radio interview.",
        claimant=ClaimantFactory(name="Ana Ruiz"),
    )


def test_wording_context_and_claimant_change_only_when_a_second_editor_publishes(
    published, editor, editor2
):
    deputy = ClaimantFactory(name="Luis Ruiz")
    correction = services.correction_propose(
        claim=published,
        by=editor2,
        kind="correction",
        note="We misattributed the quote.",
        text="Peru deployed 200 police officers.",
        context="Said at a press conference.",
        claimant=deputy,
    )
    assert correction.changed_fields == ["text", "claimant", "context"]
    assert correction.verdict is None
    claim = Claim.objects.get(pk=published.pk)
    assert claim.text == "Peru deployed 180 police officers.", "nothing public moves yet"

    with pytest.raises(exceptions.NotPermitted):
        services.correction_publish(correction=correction, by=editor2)
    services.correction_publish(correction=correction, by=editor)

    claim = Claim.objects.get(pk=published.pk)
    assert claim.text == "Peru deployed 200 police officers."
    assert claim.context == "Said at a press conference."
    assert claim.claimant == deputy
    assert claim.slug == published.slug, "the public address stays"
    before = claim.history.order_by("-history_date")[1]
    assert before.text == "Peru deployed 180 police officers.", "the old wording is versioned"


def test_unchanged_fields_are_not_listed(published, editor2):
    correction = services.correction_propose(
        claim=published,
        by=editor2,
        kind="clarification",
        note="Same text, resubmitted by the form.",
        text="Peru  deployed 180 police officers. ",
        context="Said in a radio interview.",
        claimant=published.claimant,
        conclusion="People remain stranded.",
    )
    assert correction.changed_fields == []
    assert correction.change_summary() == ""


def test_line_endings_a_browser_posts_are_not_a_change(researcher, editor, editor2):
    """Browsers post text areas with CRLF; what the API or an import stored has LF."""
    claim = make_published(
        researcher,
        editor,
        text="Peru  deployed 180 police officers.",
        context="Said on the radio.\nRepeated on television.",
    )
    # Set up as an import would have stored it (test data, not a public write).
    Verdict.objects.filter(pk=claim.published_verdict_id).update(
        explanation="Both reports count people at the border.\n\nNeither counts those who left."
    )
    claim.refresh_from_db()
    correction = services.correction_propose(
        claim=claim,
        by=editor2,
        kind="clarification",
        note="Only the note is new.",
        text=claim.text,
        context=claim.context.replace("\n", "\r\n"),
        explanation=claim.published_verdict.explanation.replace("\n", "\r\n") + "\r\n",
    )
    assert correction.changed_fields == []
    assert correction.verdict is None


def test_a_correction_can_clear_the_context_and_the_claimant(published, editor, editor2):
    correction = services.correction_propose(
        claim=published,
        by=editor2,
        kind="correction",
        note="Unattributed.",
        claimant=None,
        context="",
    )
    assert correction.changed_fields == ["claimant", "context"]
    services.correction_publish(correction=correction, by=editor)
    claim = Claim.objects.get(pk=published.pk)
    assert claim.claimant is None and claim.context == ""


def test_empty_or_overlong_wording_is_refused(published, editor2, unchanged_database):
    for text in ("   ", "x" * 501):
        with unchanged_database(), pytest.raises(exceptions.TransitionRejected):
            services.correction_propose(
                claim=published, by=editor2, kind="correction", note="x", text=text
            )


def test_note_says_what_changed(published, editor2):
    correction = services.correction_propose(
        claim=published,
        by=editor2,
        kind="correction",
        note="The count was 200.",
        text="Peru deployed 200 police officers.",
        rating=rating("mostly-false"),
    )
    assert correction.changed_fields == ["text", "rating"]
    assert correction.change_summary() == "The claim's wording and the rating were changed."
    one = Correction(changed_fields=["context"])
    assert one.change_summary() == "The context of the claim was changed."
    three = Correction(changed_fields=["explanation", "claimant", "conclusion"])
    assert three.change_summary() == (
        "The claimant, the conclusion and the explanation were changed."
    )


def test_reader_page_claimreview_and_api_show_the_corrected_wording_and_note(
    client, published, editor, editor2
):
    correction = services.correction_propose(
        claim=published,
        by=editor2,
        kind="correction",
        note="The count was 200.",
        text="Peru deployed 200 police officers.",
    )
    services.correction_publish(correction=correction, by=editor)
    claim = Claim.objects.get(pk=published.pk)

    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Peru deployed 200 police officers." in page
    assert "The claim&#39;s wording was changed." in page
    assert "The count was 200." in page
    assert (
        "The claim&#39;s wording was changed."
        in client.get(reverse("claims:corrections")).content.decode()
    )

    assert claim_review(claim, site_url="https://veraz.example")["claimReviewed"] == (
        "Peru deployed 200 police officers."
    )

    body = client_for(editor).get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["text"] == "Peru deployed 200 police officers."
    [listed] = body["corrections"]
    assert listed["changed"] == ["text"]
    assert listed["summary"] == "The claim's wording was changed."
    assert listed["note"] == "The count was 200."


def test_api_proposes_a_wording_correction(published, editor, editor2):
    url = f"/api/v1/claims/{published.pk}/"
    as_editor2 = client_for(editor2)
    etag = as_editor2.get(url)["ETag"]
    response = as_editor2.post(
        f"{url}corrections/",
        {"kind": "correction", "note": "Misquoted.", "text": "Peru sent 200 officers."},
        HTTP_IF_MATCH=etag,
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["changed"] == ["text"]
    publish = f"{url}corrections/{response.json()['id']}/publish/"
    assert as_editor2.post(publish, HTTP_IF_MATCH=response["ETag"]).status_code == 403
    assert client_for(editor).post(publish, HTTP_IF_MATCH=response["ETag"]).status_code == 200
    assert Claim.objects.get(pk=published.pk).text == "Peru sent 200 officers."


def test_admin_form_proposes_wording_with_text_areas(client, published, editor, editor2):
    client.force_login(editor2)
    url = reverse("admin:claims_claim_correction_propose", args=[published.pk])
    page = client.get(url)
    html = page.content.decode()
    for name in ("text", "context", "conclusion", "explanation"):
        assert f'<textarea name="{name}"' in html, name
    data = form_data(page)
    data.update(kind="correction", note="Misquoted.", text="Peru sent 200 officers.")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    correction = Correction.objects.get(claim=published, published_at__isnull=True)
    assert correction.changed_fields == ["text"]
    assert correction.verdict is None
