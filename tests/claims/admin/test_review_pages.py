"""Nothing approved unseen: the publish, publish-correction and retract
confirmation pages show what readers will see change, word by word, and a
staff-only preview shows the page as it will be."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from claims import services
from claims.models import Claim, ClaimStatus, Evidence
from tests.factories import (
    ClaimantFactory,
    SourceFactory,
    UserFactory,
    make_in_review,
    make_published,
    rating,
)

pytestmark = pytest.mark.django_db


def _workflow_url(claim, action):
    return reverse("admin:claims_claim_workflow", args=[claim.pk, action])


def _correction_url(claim):
    return reverse("admin:claims_claim_correction_decide", args=[claim.pk, "publish"])


def _preview_url(claim):
    return reverse("admin:claims_claim_preview", args=[claim.pk])


def _row(page, field):
    soup = BeautifulSoup(page, "html.parser")
    row = soup.select_one(f'table.page-diff tr[data-field="{field}"]')
    assert row is not None, f"no {field} row"
    return row


def _marked(row, tag):
    return [element.get_text().strip() for element in row.find_all(tag)]


def _items(page):
    soup = BeautifulSoup(page, "html.parser")
    return [
        (li["data-change"], " ".join(li.get_text().split()))
        for li in soup.select("ul.item-changes > li")
    ]


def _returned_and_resubmitted(researcher, editor, *, extra_items=0):
    """A claim an editor sent back, that the researcher then reworded, gave new
    evidence, removed evidence from, and resubmitted."""
    claim = make_in_review(researcher, text="The border crisis is over.")
    services.claim_request_changes(claim=claim, by=editor, comment="Say which border.")
    services.claim_update(
        claim=claim, by=researcher, data={"text": "The northern border crisis is over."}
    )
    gone = Evidence.objects.filter(claim=claim, excerpt="150 stranded").get()
    services.evidence_delete(evidence=gone, by=researcher)
    services.evidence_create(
        claim=claim,
        by=researcher,
        source=SourceFactory(title="Ombudsman report"),
        excerpt="42 families wait",
        stance="refutes",
    )
    for n in range(extra_items):
        services.evidence_create(
            claim=claim,
            by=researcher,
            source=SourceFactory(),
            excerpt=f"{n} more",
            stance="context",
        )
    verdict = claim.verdicts.pending().get()
    services.verdict_update(
        verdict=verdict,
        by=researcher,
        data={"conclusion": "Families still wait at the northern border."},
    )
    return services.claim_submit(claim=Claim.objects.get(pk=claim.pk), by=researcher)


def test_publish_page_shows_changes_since_the_last_review_round(
    client, researcher, editor, editor2
):
    claim = _returned_and_resubmitted(researcher, editor)
    client.force_login(editor2)
    page = client.get(_workflow_url(claim, "publish")).content.decode()

    wording = _row(page, "text")
    assert _marked(wording, "ins") == ["northern"]
    assert _marked(wording, "del") == []
    conclusion = _row(page, "conclusion")
    assert conclusion.select_one(".diff-old").get_text() == "People remain stranded."
    assert conclusion.select_one(".diff-new").get_text() == (
        "Families still wait at the northern border."
    )
    # Nothing in common: one deletion and one insertion, not one per word.
    assert _marked(conclusion, "del") == ["People remain stranded."]
    assert _marked(conclusion, "ins") == ["Families still wait at the northern border."]
    assert "unchanged" in _row(page, "rating").get_text()

    items = _items(page)
    assert (
        "added",
        "Added (Evidence): Refutes the claim — Ombudsman report: “42 families wait”",
    ) in items
    assert any(change == "removed" and "150 stranded" in text for change, text in items)
    assert not any("30 remain" in text for _change, text in items), "unchanged since the review"


def test_first_review_shows_everything_as_new(client, researcher, editor):
    claim = make_in_review(researcher)
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    assert _marked(_row(page, "text"), "ins") == ["The border crisis is over."]
    assert _marked(_row(page, "rating"), "ins") == [rating("false").display_label]
    changes = [change for change, _text in _items(page)]
    assert changes == ["added", "added", "added"]


def test_explanation_is_shown_rendered_not_as_markdown(client, researcher, editor):
    claim = make_in_review(researcher)
    verdict = claim.verdicts.pending().get()
    services.claim_request_changes(claim=claim, by=editor, comment="Cite the report.")
    services.verdict_update(
        verdict=verdict,
        by=researcher,
        data={"explanation": "Both reports count **people** still at the border."},
    )
    claim = services.claim_submit(claim=Claim.objects.get(pk=claim.pk), by=researcher)
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    row = _row(page, "explanation")
    assert "**" not in row.get_text()
    assert _marked(row, "ins") == []  # the emphasis changed, not the words
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one(".rendered-explanation strong").get_text() == "people"


def test_hostile_wording_is_shown_as_text(client, researcher, editor):
    claim = make_in_review(researcher, text="Hello <script>alert('x')</script> world")
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert _marked(_row(page, "text"), "ins") == ["Hello <script>alert('x')</script> world"]


def _corrected(researcher, editor, editor2, *, extra_items=0):
    claim = make_published(researcher, editor, text="The border crisis is over.")
    for n in range(extra_items + 1):
        services.evidence_create(
            claim=claim,
            by=editor2,
            source=SourceFactory(title="Late count"),
            excerpt=f"{n + 12} remain",
            stance="refutes",
        )
    services.correction_propose(
        claim=Claim.objects.get(pk=claim.pk),
        by=editor2,
        kind="correction",
        note="We misquoted the minister.",
        text="The border crisis is now over.",
        rating=rating("mostly-false"),
    )
    return Claim.objects.get(pk=claim.pk)


def test_correction_page_shows_old_and_new_public_page(
    client, researcher, editor, editor2, superuser
):
    claim = _corrected(researcher, editor, editor2)
    client.force_login(superuser)
    response = client.get(_correction_url(claim))
    assert response.status_code == 200
    page = response.content.decode()
    assert _marked(_row(page, "text"), "ins") == ["now"]
    assert _marked(_row(page, "rating"), "del") == [rating("false").display_label]
    assert _marked(_row(page, "rating"), "ins") == [rating("mostly-false").display_label]
    assert "unchanged" in _row(page, "conclusion").get_text()
    assert [change for change, text in _items(page) if "12 remain" in text] == ["added"]
    assert "The claim&#x27;s wording and the rating were changed." in page
    # The step itself is a POST from this page, against the version it showed.
    assert 'name="expected_version"' in page


def test_correction_page_is_refused_to_its_proposer(client, researcher, editor, editor2):
    claim = _corrected(researcher, editor, editor2)
    client.force_login(editor2)
    response = client.get(_correction_url(claim), follow=True)
    assert response.redirect_chain[0][0] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert "another editor must publish it" in response.content.decode()
    assert "page-diff" not in response.content.decode()


def test_retract_page_shows_what_leaves_the_page(client, researcher, editor, superuser):
    claim = make_published(researcher, editor)
    client.force_login(superuser)
    page = client.get(_workflow_url(claim, "retract")).content.decode()
    assert "unchanged" in _row(page, "text").get_text()
    assert _marked(_row(page, "rating"), "del") == [rating("false").display_label]
    assert _marked(_row(page, "conclusion"), "del") == ["People remain stranded."]
    assert [change for change, _text in _items(page)] == ["removed"] * 3
    assert "retraction notice" in page


def _confirmation_page_queries(client, researcher, editor, editor2, extra_items):
    in_review = _returned_and_resubmitted(researcher, editor, extra_items=extra_items)
    corrected = _corrected(researcher, editor, editor2, extra_items=extra_items)
    retractable = make_published(researcher, editor, text=f"Another claim {extra_items}.")
    for n in range(extra_items):
        services.evidence_create(
            claim=retractable, by=editor, source=SourceFactory(), excerpt=f"{n}", stance="context"
        )
    counts = []
    for url in (
        _workflow_url(in_review, "publish"),
        _correction_url(corrected),
        _workflow_url(retractable, "retract"),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_confirmation_pages_take_a_fixed_number_of_queries(
    client, researcher, editor, editor2, superuser
):
    client.force_login(superuser)
    few = _confirmation_page_queries(client, researcher, editor, editor2, 0)
    many = _confirmation_page_queries(client, researcher, editor, editor2, 8)
    assert few == many, "queries grow with the number of evidence items"
    assert max(few) <= 45, few


# --- The staff-only preview -------------------------------------------------------------


def test_staff_preview_shows_the_draft_page_never_cached(client, researcher, editor):
    claim = make_in_review(researcher, text="A claim nobody may read yet.")
    client.force_login(editor)
    response = client.get(_preview_url(claim))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not public" in page
    assert "A claim nobody may read yet." in page
    assert "People remain stranded." in page, "the draft verdict is shown"
    assert '<meta name="robots" content="noindex, nofollow">' in page
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW, "previewing publishes nothing"


def test_preview_of_a_correction_shows_the_corrected_page(client, researcher, editor, editor2):
    claim = _corrected(researcher, editor, editor2)
    client.force_login(editor)
    page = client.get(_preview_url(claim)).content.decode()
    assert "The border crisis is now over." in page
    assert "We misquoted the minister." in page
    assert "12 remain" in page
    public = client.get(claim.get_absolute_url()).content.decode()
    assert "The border crisis is now over." not in public


def test_preview_is_a_404_for_anyone_else(client, researcher, editor):
    claim = make_in_review(researcher)
    url = _preview_url(claim)
    assert client.get(url).status_code == 404  # anonymous: no login page either
    reader = UserFactory(username="reader", is_staff=False)
    client.force_login(reader)
    assert client.get(url).status_code == 404
    no_role = UserFactory(username="nobody")  # staff, without the view permission
    client.force_login(no_role)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("admin:claims_claim_preview", args=["999999"])).status_code == 404
    assert client.get(reverse("admin:claims_claim_preview", args=["9" * 40])).status_code == 404
    assert client.post(url).status_code == 405


def test_preview_link_on_the_claim_page_and_publish_page(client, researcher, editor):
    claim = make_in_review(researcher)
    client.force_login(editor)
    url = _preview_url(claim)
    assert (
        f'href="{url}"'
        in client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    )
    assert f'href="{url}"' in client.get(_workflow_url(claim, "publish")).content.decode()
    published = make_published(researcher, editor, text="Nothing pending here.")
    page = client.get(reverse("admin:claims_claim_change", args=[published.pk])).content.decode()
    assert _preview_url(published) not in page


def test_claimant_correction_shows_in_the_diff(client, researcher, editor, editor2, superuser):
    claim = make_published(researcher, editor, claimant=ClaimantFactory(name="Ana Ruiz"))
    services.correction_propose(
        claim=claim,
        by=editor2,
        kind="correction",
        note="Said by her deputy.",
        claimant=ClaimantFactory(name="Luis Ruiz"),
    )
    client.force_login(superuser)
    row = _row(client.get(_correction_url(claim)).content.decode(), "claimant")
    assert _marked(row, "del") == ["Ana"]
    assert _marked(row, "ins") == ["Luis"]


def test_publish_page_shows_evidence_changed_since_the_review_round(client, researcher, editor):
    claim = make_in_review(researcher)
    services.claim_request_changes(claim=claim, by=editor, comment="Quote the report exactly.")
    item = Evidence.objects.get(claim=claim, excerpt="150 stranded")
    services.evidence_update(evidence=item, by=researcher, data={"note": "Page 4 of the report."})
    claim = services.claim_submit(claim=Claim.objects.get(pk=claim.pk), by=researcher)
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    [(change, text)] = _items(page)
    assert change == "changed"
    assert "150 stranded" in text and "Page 4 of the report." in text
    soup = BeautifulSoup(page, "html.parser")
    assert [ins.get_text() for ins in soup.select("ul.item-changes ins")] == [
        "Page 4 of the report."
    ]


def test_correction_page_lists_evidence_added_since_publication_once_as_it_is_now(
    client, researcher, editor, editor2, superuser
):
    # Published evidence is locked; what a correction brings is what was added
    # since, shown once with its latest wording however often it was edited.
    claim = _corrected(researcher, editor, editor2)
    item = Evidence.objects.get(claim=claim, excerpt="12 remain")
    services.evidence_update(evidence=item, by=editor2, data={"excerpt": "13 remain"})
    client.force_login(superuser)
    items = _items(client.get(_correction_url(claim)).content.decode())
    assert [change for change, text in items if "13 remain" in text] == ["added"]
    assert not any("12 remain" in text or "150 stranded" in text for _change, text in items)


def test_hostile_explanation_is_rendered_through_the_sanitiser(client, researcher, editor):
    claim = make_in_review(researcher)
    verdict = claim.verdicts.pending().get()
    services.claim_request_changes(claim=claim, by=editor, comment="Link the report.")
    services.verdict_update(
        verdict=verdict,
        by=researcher,
        data={
            "explanation": 'See [the report](javascript:alert(1)) <img src=x onerror="alert(2)">'
            " <script>alert(3)</script> and **this**."
        },
    )
    claim = services.claim_submit(claim=Claim.objects.get(pk=claim.pk), by=researcher)
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    rendered = BeautifulSoup(page, "html.parser").select_one(".rendered-explanation")
    assert rendered.select_one("strong").get_text() == "this"
    assert rendered.select("script") == [] and rendered.select("img[onerror]") == []
    assert "javascript:" not in str(rendered)
    assert "<script>alert(3)" not in page


def test_confirmation_pages_in_spanish(client, researcher, editor, editor2, superuser):
    claim = _corrected(researcher, editor, editor2)
    client.force_login(superuser)
    with translation.override("es"):
        url = _correction_url(claim)  # the Spanish admin lives at /es/admin/
    assert url.startswith("/es/")
    page = client.get(url).content.decode()
    assert "Lo que los lectores verán cambiar" in page
    assert "Se cambiaron la redacción de la afirmación y la calificación." in page
    assert "Redacción" in _row(page, "text").get_text()


def test_review_page_also_sends_the_claim_back_with_the_request(client, researcher, editor):
    claim = make_in_review(researcher)
    client.force_login(editor)
    page = client.get(_workflow_url(claim, "publish")).content.decode()
    form = BeautifulSoup(page, "html.parser").select_one("form.request-changes")
    assert form is not None and form["action"] == _workflow_url(claim, "request_changes")
    assert form.select_one("textarea[name=comment][required]") is not None

    response = client.post(
        form["action"],
        {"comment": "Name the area.", "expected_version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert claim.transitions.latest("at").comment == "Name the area."


def test_whoever_may_not_publish_gets_no_review_form(client, researcher):
    # The desk's "Review…" leads here; whoever may not publish (here the
    # researcher) lands on the claim's page with the reason, never on a form.
    claim = make_in_review(researcher)
    client.force_login(researcher)
    response = client.get(_workflow_url(claim, "publish"))
    assert response.status_code in {302, 403}
    assert "request-changes" not in response.content.decode()
