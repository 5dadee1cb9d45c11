"""The admin is the newsroom's workspace: every page works, and it obeys the services."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.demo import DemoNewsroom
from claims.models import Claim, ClaimStatus, Evidence, Transition, Verdict
from claims.services import import_claimreviews
from claims.services.tips import tip_submit
from tests.factories import (
    ClaimantFactory,
    SourceFactory,
    make_draft,
    make_in_review,
    make_ready_claim,
    rating,
)
from tests.formdata import form_data

pytestmark = pytest.mark.django_db

OUR_APPS = {"claims", "sources"}
# Models whose rows are only ever created by the workflow, on a claim's page, by an
# import, or by django-axes when a login fails.
NO_STANDALONE_ADD = {
    "claims.Verdict",
    "claims.Correction",
    "claims.Transition",
    "claims.ExternalReview",
    "claims.Tip",
    "claims.TipGroup",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    # Written only by the capture pipeline (sources/capture.py).
    "sources.SourceSnapshot",
    "sources.CaptureJob",
}


@pytest.fixture
def demo(db):
    DemoNewsroom(with_users=False).load()
    # The demo has no other fact-checkers' reviews; one import gives their pages something to show.
    import_claimreviews(
        '{"@type": "ClaimReview", "url": "https://other.example/check", '
        '"claimReviewed": "A claim.", "reviewRating": {"alternateName": "False"}}'
    )
    # Readers' tips come from the site, not the demo; one gives the triage pages a row.
    tip_submit(text="Is the border crisis over?")
    # The demo's sources have no URL, so nothing was captured; one job gives its pages a row.
    from sources.models import CaptureJob, Source

    CaptureJob.objects.create(
        source=Source.objects.order_by("pk").first(),
        reason="requested",
        url="https://news.example.org/report",
        status="failed",
        error="The host name news.example.org does not resolve.",
    )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_page_answers_200_for_an_editor(demo, client, editor):
    client.force_login(editor)
    registered = [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]
    assert len(registered) >= 11
    for model in registered:
        label = model._meta.label
        assert client.get(admin_url(model, "changelist")).status_code == 200, label
        add = client.get(admin_url(model, "add"))
        if label in NO_STANDALONE_ADD or label in {"claims.RatingScale"}:
            assert add.status_code == 403, label
        else:
            assert add.status_code == 200, label
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the demo has no {label}"
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, label
        assert client.get(admin_url(model, "history", obj.pk)).status_code == 200, label


def test_superuser_reaches_every_admin_page_including_the_rating_scale(demo, client, superuser):
    client.force_login(superuser)
    for model in admin.site._registry:
        assert client.get(admin_url(model, "changelist")).status_code == 200
        expected = 403 if model._meta.label in NO_STANDALONE_ADD else 200
        assert client.get(admin_url(model, "add")).status_code == expected, model


def test_every_claim_change_page_renders_in_every_state(demo, client, editor):
    client.force_login(editor)
    states = set()
    for claim in Claim.objects.all():
        response = client.get(admin_url(Claim, "change", claim.pk))
        assert response.status_code == 200
        states.add(claim.status)
    assert states == set(ClaimStatus.values)


def test_researcher_is_not_offered_publish_and_cannot_publish_by_url(client, researcher, editor):
    claim = make_in_review(editor)
    client.force_login(researcher)
    page = client.get(admin_url(Claim, "change", claim.pk))
    assert page.status_code == 200
    assert b"Approve and publish" not in page.content
    response = client.post(
        admin_url(Claim, "workflow", claim.pk, "publish"), {"comment": ""}, follow=True
    )
    assert "permission to publish" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_author_is_not_offered_publish_but_another_editor_is(client, editor, editor2):
    claim = make_in_review(editor)
    client.force_login(editor)
    assert b"Approve and publish" not in client.get(admin_url(Claim, "change", claim.pk)).content
    client.force_login(editor2)
    page = client.get(admin_url(Claim, "change", claim.pk))
    assert b"Approve and publish" in page.content
    client.post(admin_url(Claim, "workflow", claim.pk, "publish"), {"comment": "Checked"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert Transition.objects.filter(claim=claim).last().comment == "Checked"


def test_workflow_errors_are_shown_as_admin_messages(client, researcher):
    claim = make_draft(researcher)
    client.force_login(researcher)
    response = client.post(admin_url(Claim, "workflow", claim.pk, "submit"), {}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Not ready for review" in m and "two pieces of evidence" in m for m in messages)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_retract_through_the_admin_needs_a_reason(client, researcher, editor, editor2):
    claim = make_in_review(researcher)
    client.force_login(editor)
    client.post(admin_url(Claim, "workflow", claim.pk, "publish"), {})
    response = client.post(
        admin_url(Claim, "workflow", claim.pk, "retract"), {"comment": ""}, follow=True
    )
    assert "public reason" in response.content.decode()
    client.post(admin_url(Claim, "workflow", claim.pk, "retract"), {"comment": "Misdated"})
    claim.refresh_from_db()
    assert (claim.status, claim.retraction_reason) == (ClaimStatus.RETRACTED, "Misdated")


def test_status_is_read_only_in_the_claim_form(client, researcher):
    claim = make_draft(researcher)
    client.force_login(researcher)
    page = client.get(admin_url(Claim, "change", claim.pk))
    data = form_data(page, "claim_form")
    assert "status" not in data
    data["status"] = "published"
    client.post(admin_url(Claim, "change", claim.pk), data)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_researcher_logs_a_claim_with_verdict_appearance_and_evidence(client, researcher):
    claimant = ClaimantFactory()
    source_a, source_b = SourceFactory(), SourceFactory()
    client.force_login(researcher)
    data = form_data(client.get(admin_url(Claim, "add")), "claim_form")
    data.update(
        {"text": "Crime rose because of migrants", "claimant": claimant.pk, "language": "en"}
    )
    response = client.post(admin_url(Claim, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    claim = Claim.objects.get(text="Crime rose because of migrants")
    assert claim.created_by == researcher and claim.status == ClaimStatus.DRAFT

    data = form_data(client.get(admin_url(Claim, "change", claim.pk)), "claim_form")
    data.update(
        {
            "verdicts-0-rating": rating("unsupported").pk,
            "verdicts-0-conclusion": "No evidence was offered.",
            "verdicts-0-explanation": "The government gave no statistics.",
            "appearances-TOTAL_FORMS": "1",
            "appearances-0-source": source_a.pk,
            "appearances-0-quote": "they are the ones committing these crimes",
            "evidence-TOTAL_FORMS": "2",
            "evidence-0-source": source_a.pk,
            "evidence-0-stance": "context",
            "evidence-0-excerpt": "did not present evidence",
            "evidence-1-source": source_b.pk,
            "evidence-1-stance": "context",
            "evidence-1-excerpt": "no statistics",
        }
    )
    response = client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 302, response.context["errors"]
    verdict = claim.verdicts.get()
    assert verdict.author == researcher and verdict.rating.slug == "unsupported"
    assert claim.evidence.count() == 2 and claim.appearances.count() == 1

    client.post(admin_url(Claim, "workflow", claim.pk, "submit"), {})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_invalid_inline_rejects_the_whole_save(client, researcher):
    claim = make_draft(researcher)
    source = SourceFactory(snapshot="about 30 foreigners remain")
    client.force_login(researcher)
    data = form_data(client.get(admin_url(Claim, "change", claim.pk)), "claim_form")
    data.update(
        {
            "text": "Changed wording",
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": source.pk,
            "evidence-0-stance": "refutes",
            "evidence-0-excerpt": "about 40 foreigners remain",
        }
    )
    response = client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 200
    assert "does not occur in the source" in response.content.decode()
    claim.refresh_from_db()
    assert claim.text != "Changed wording" and not claim.evidence.exists()


def test_claim_in_review_is_read_only_in_the_admin(client, researcher, editor):
    claim = make_in_review(researcher)
    client.force_login(editor)
    page = client.get(admin_url(Claim, "change", claim.pk))
    assert b'name="text"' not in page.content
    assert client.post(admin_url(Claim, "change", claim.pk), {"text": "x"}).status_code == 403


def test_published_evidence_is_read_only_and_new_evidence_is_pending(
    client, researcher, editor, editor2
):
    claim = make_in_review(researcher)
    from claims import services

    services.claim_publish(claim=claim, by=editor)
    client.force_login(researcher)
    page = client.get(admin_url(Claim, "change", claim.pk))
    assert "evidence on the public record" in page.content.decode().lower()
    item = claim.evidence.first()
    assert client.get(admin_url(Evidence, "change", item.pk)).status_code == 200
    response = client.post(admin_url(Evidence, "change", item.pk), {"note": "x"})
    assert response.status_code == 403


def test_changelist_runs_the_same_queries_for_20_and_200_claims(client, editor, researcher):
    def queries_for_changelist():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(admin_url(Claim, "changelist"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    client.force_login(editor)
    claimant = ClaimantFactory()
    build = lambda n, start: [  # noqa: E731
        Claim(
            text=f"Claim {i}",
            slug=f"claim-{i}",
            claimant=claimant,
            created_by=researcher,
            assigned_to=researcher,
        )
        for i in range(start, start + n)
    ]
    Claim.objects.bulk_create(build(20, 0))
    for claim in Claim.objects.all()[:10]:
        Verdict.objects.create(
            claim=claim, rating=rating(), conclusion="c", explanation="e", author=researcher
        )
    at_20 = queries_for_changelist()
    Claim.objects.bulk_create(build(180, 20))
    for claim in Claim.objects.filter(verdicts__isnull=True)[:50]:
        Verdict.objects.create(
            claim=claim, rating=rating(), conclusion="c", explanation="e", author=researcher
        )
    assert queries_for_changelist() == at_20


def test_correction_can_be_proposed_and_published_from_the_admin(
    client, researcher, editor, editor2
):
    from claims import services

    claim = services.claim_publish(claim=make_in_review(researcher), by=editor)
    client.force_login(editor)
    url = reverse("admin:claims_claim_correction_propose", args=[claim.pk])
    data = form_data(client.get(url))
    data.update(
        {"kind": "correction", "note": "Count corrected.", "rating": rating("mostly-false").pk}
    )
    assert client.post(url, data).status_code == 302
    page = client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    # The proposer is not offered the button the policy would refuse them.
    assert "Pending correction" in page and "publish correction" not in page.lower()

    decide = reverse("admin:claims_claim_correction_decide", args=[claim.pk, "publish"])
    response = client.post(decide, follow=True)
    assert "another editor must publish" in response.content.decode()
    client.force_login(editor2)
    page = client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    assert f'href="{decide}"' in page and "Review and publish correction" in page
    # The second editor confirms on a page that shows what readers will see change.
    confirm = client.get(decide)
    assert "What readers will see change" in confirm.content.decode()
    assert client.post(decide, form_data(confirm)).status_code == 302
    claim.refresh_from_db()
    assert claim.published_verdict.rating.slug == "mostly-false"
    assert claim.corrections.get().published_by == editor2


def test_source_page_lists_the_claims_that_cite_it(demo, client, editor):
    from sources.models import Source

    client.force_login(editor)
    source = Source.objects.get(slug="cnn-espanol-forced-crossing")
    page = client.get(admin_url(Source, "change", source.pk)).content.decode()
    for claim in Claim.objects.filter(evidence__source=source).distinct():
        assert reverse("admin:claims_claim_change", args=[claim.pk]) in page
    search = client.get(admin_url(Source, "changelist"), {"q": "CNN"})
    assert source.title in search.content.decode()


def test_claim_search_finds_quotes_and_claimants(demo, client, editor):
    client.force_login(editor)
    by_quote = client.get(admin_url(Claim, "changelist"), {"q": "Radio Infinita"})
    assert "too massive" in by_quote.content.decode()
    by_claimant = client.get(admin_url(Claim, "changelist"), {"q": "Boluarte"})
    assert "criminal acts" in by_claimant.content.decode()


def test_assigned_to_me_filter(client, researcher, editor):
    mine = make_draft(researcher, text="Mine", assigned_to=researcher)
    services.claim_create(by=editor, text="Someone else's", assigned_to=editor)
    client.force_login(researcher)
    page = client.get(admin_url(Claim, "changelist"), {"assigned": "me"}).content.decode()
    assert mine.text in page and "Someone else" not in page


def test_view_on_site_is_offered_only_for_claims_with_a_public_page(client, researcher, editor):
    draft = make_draft(researcher)
    client.force_login(editor)
    assert b"View on site" not in client.get(admin_url(Claim, "change", draft.pk)).content
    from claims import services

    published = services.claim_publish(claim=make_in_review(researcher, text="Other"), by=editor)
    page = client.get(admin_url(Claim, "change", published.pk)).content.decode()
    assert "View on site" in page


def test_workflow_pages_are_closed_to_staff_without_a_role(client, researcher, outsider):
    claim = make_draft(researcher, text="A draft nobody outside the newsroom may read")
    client.force_login(outsider)
    for url in (
        admin_url(Claim, "workflow", claim.pk, "submit"),
        reverse("admin:claims_claim_correction_propose", args=[claim.pk]),
        reverse("admin:claims_claim_merge", args=[claim.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"A draft nobody outside" not in response.content
    assert (
        client.post(
            reverse("admin:claims_claim_correction_decide", args=[claim.pk, "publish"])
        ).status_code
        == 403
    )


def test_stale_publish_correction_button_is_refused(client, researcher, editor, editor2):
    from claims import services

    claim = services.claim_publish(claim=make_in_review(researcher), by=editor)
    correction = services.correction_propose(
        claim=claim, by=editor, kind="correction", note="Count fixed.", rating=rating("true")
    )
    client.force_login(editor2)
    page = client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    version = services.correction_version(correction)
    assert f'name="expected_version" value="{version}"' in page
    services.verdict_update(
        verdict=correction.verdict, by=editor, data={"conclusion": "Changed meanwhile."}
    )
    decide = reverse("admin:claims_claim_correction_decide", args=[claim.pk, "publish"])
    response = client.post(decide, {"expected_version": version}, follow=True)
    assert "edited after you read it" in response.content.decode()
    assert claim.corrections.get().published_at is None


def test_the_admin_speaks_spanish_at_es_admin(client, editor):
    client.force_login(editor)
    english = client.get("/admin/claims/claim/").content.decode()
    spanish = client.get("/es/admin/claims/claim/").content.decode()
    assert 'lang="en"' in english and 'lang="es"' in spanish
    assert "Claims, sources and verdicts" not in spanish
    assert client.get("/es/admin/").status_code == 200


def test_admin_forms_store_text_without_control_or_bidi_characters(client, editor):
    # Every form goes through config.middleware.CleanTextInputMiddleware;
    # a topic is the smallest admin form that writes text.
    from claims.models import Topic

    client.force_login(editor)
    response = client.post(
        admin_url(Topic, "add"),
        {"name": "Peru\x0cChile\u202e border", "name_es": "Frontera\x07", "slug": "border"},
    )
    assert response.status_code == 302, response.content[:2000]
    topic = Topic.objects.get(slug="border")
    assert (topic.name, topic.name_es) == ("PeruChile border", "Frontera")


def test_admin_shows_figures_as_typed_not_with_the_columns_four_decimals(
    client, editor, researcher
):
    from claims import services
    from claims.models import Evidence
    from tests.factories import SourceFactory, make_draft

    claim = make_draft(researcher)
    evidence = services.evidence_create(
        claim=claim,
        by=researcher,
        source=SourceFactory(),
        excerpt="Two hundred people.",
        stance="refutes",
        figure_quantity="people at the border",
        figure_value=Decimal("200"),
        figure_unit="people",
    )
    client.force_login(editor)
    listing = client.get(admin_url(Evidence, "changelist")).content.decode()
    assert "200 people" in listing and "200.0000" not in listing
    form = client.get(admin_url(Evidence, "change", evidence.pk)).content.decode()
    assert 'name="figure_value" value="200"' in form, form[form.find("figure_value") - 200 :][:400]


def test_admin_pages_name_the_site_icon_so_browsers_do_not_ask_for_favicon_ico(client, editor):
    pages = [client.get("/admin/login/")]
    client.force_login(editor)
    pages += [client.get(url) for url in ("/admin/", "/admin/claims/claim/")]
    for response in pages:
        assert response.status_code == 200
        assert '<link rel="icon" href="/static/favicon.svg"' in response.content.decode()


def test_save_and_submit_for_review_saves_the_draft_and_submits_it_in_one_post(client, researcher):
    claim = make_draft(researcher)
    complete = make_ready_claim(researcher, text="Complete draft")
    client.force_login(researcher)
    page = client.get(admin_url(Claim, "change", complete.pk))
    assert 'name="_save_and_submit"' in page.content.decode()
    data = form_data(page, "claim_form")
    data.update({"text": "Complete draft, reworded", "_save_and_submit": "1"})
    response = client.post(admin_url(Claim, "change", complete.pk), data)
    assert response.status_code == 302
    assert response["Location"] == admin_url(Claim, "change", complete.pk)
    complete.refresh_from_db()
    assert complete.text == "Complete draft, reworded"
    assert complete.status == ClaimStatus.IN_REVIEW
    assert complete.transitions.filter(action="submit").count() == 1

    # An incomplete draft is saved all the same and says why it stayed a draft.
    data = form_data(client.get(admin_url(Claim, "change", claim.pk)), "claim_form")
    data.update({"text": "Still missing its evidence", "_save_and_submit": "1"})
    response = client.post(admin_url(Claim, "change", claim.pk), data, follow=True)
    claim.refresh_from_db()
    assert claim.text == "Still missing its evidence" and claim.status == ClaimStatus.DRAFT
    assert "Saved, but not submitted: Not ready for review" in response.content.decode()


def test_save_and_submit_is_offered_on_the_add_page_and_only_on_drafts(client, researcher, editor):
    client.force_login(researcher)
    assert 'name="_save_and_submit"' in client.get(admin_url(Claim, "add")).content.decode()
    in_review = make_in_review(researcher, text="Already in review")
    client.force_login(editor)
    page = client.get(admin_url(Claim, "change", in_review.pk)).content.decode()
    assert 'name="_save_and_submit"' not in page
