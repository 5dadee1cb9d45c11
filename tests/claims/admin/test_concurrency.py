"""Two editors, one claim: the second save is refused, shows what changed, and
keeps the second editor's input so they can reapply it. Nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimStatus, Evidence, Verdict
from tests.factories import make_in_review, make_ready_claim
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def two_editors(researcher, editor):
    first, second = Client(), Client()
    first.force_login(researcher)
    second.force_login(editor)
    return first, second


def test_second_save_of_the_claim_form_is_refused_and_nothing_is_lost(two_editors, researcher):
    claim = make_ready_claim(researcher, text="Original wording")
    first, second = two_editors
    first_form = form_data(first.get(change_url(claim)), "claim_form")
    second_form = form_data(second.get(change_url(claim)), "claim_form")

    first_form["text"] = "First editor's wording"
    assert first.post(change_url(claim), first_form).status_code == 302

    second_form["context"] = "Second editor's context"
    refused = second.post(change_url(claim), second_form)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "changed by someone else" in page
    assert "First editor’s wording" in page or "First editor&#x27;s wording" in page
    assert "Second editor&#x27;s context" in page  # their input is still in the form
    claim.refresh_from_db()
    assert claim.text == "First editor's wording" and claim.context == ""

    # Saving the re-rendered form applies the second edit deliberately.
    again = form_data(refused, "claim_form")
    assert second.post(change_url(claim), again).status_code == 302
    claim.refresh_from_db()
    assert claim.context == "Second editor's context"


def test_second_save_of_the_verdict_is_refused(two_editors, researcher):
    claim = make_ready_claim(researcher)
    verdict = claim.verdicts.get()
    first, second = two_editors
    first_form = form_data(first.get(change_url(verdict)), "verdict_form")
    second_form = form_data(second.get(change_url(verdict)), "verdict_form")
    first_form["conclusion"] = "First conclusion"
    assert first.post(change_url(verdict), first_form).status_code == 302
    second_form["explanation"] = "Second explanation"
    refused = second.post(change_url(verdict), second_form)
    assert refused.status_code == 200
    assert "changed by someone else" in refused.content.decode()
    verdict.refresh_from_db()
    assert verdict.conclusion == "First conclusion"
    assert verdict.explanation != "Second explanation"


def test_second_save_of_an_evidence_inline_is_refused(two_editors, researcher):
    claim = make_ready_claim(researcher)
    item = claim.evidence.order_by("pk").first()
    first, second = two_editors
    first_form = form_data(first.get(change_url(claim)), "claim_form")
    second_form = form_data(second.get(change_url(claim)), "claim_form")
    prefix = next(
        key.rsplit("-", 1)[0]
        for key, value in first_form.items()
        if key.startswith("evidence") and key.endswith("-id") and value == str(item.pk)
    )
    first_form[f"{prefix}-note"] = "First note"
    assert first.post(change_url(claim), first_form).status_code == 302
    second_form[f"{prefix}-note"] = "Second note"
    refused = second.post(change_url(claim), second_form)
    assert refused.status_code == 200
    assert "changed by someone else" in refused.content.decode()
    item.refresh_from_db()
    assert item.note == "First note"
    assert Evidence.objects.filter(note="Second note").count() == 0


def test_publish_confirmation_opened_before_a_change_is_refused(researcher, editor, editor2):
    claim = make_in_review(researcher)
    publisher = Client()
    publisher.force_login(editor2)
    url = reverse("admin:claims_claim_workflow", args=[claim.pk, "publish"])
    confirm = form_data(publisher.get(url))

    # Meanwhile another editor sends it back and the researcher resubmits.
    from claims import services

    services.claim_request_changes(claim=claim, by=editor, comment="Fix the conclusion")
    Verdict.objects.filter(claim=claim).update(conclusion="Rewritten after review")
    services.claim_submit(claim=Claim.objects.get(pk=claim.pk), by=researcher)

    response = publisher.post(url, confirm, follow=True)
    assert "Someone else saved this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
