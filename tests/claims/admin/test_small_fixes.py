"""The admin's smaller rough edges (issue 14), each pinned: the date fields'
time-zone note, Spanish names, the workflow log's sentences, the duplicate
warning's wording, plain figures, and a correction form refused up front."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import services
from claims.models import Claim, Evidence
from tests.factories import (
    TopicFactory,
    make_draft,
    make_in_review,
    make_published,
    make_ready_claim,
)

pytestmark = pytest.mark.django_db

TIMEZONE_COOKIE = "veraz_tz"  # config.middleware.TIMEZONE_COOKIE, set by admin_timezone.js


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# --- "You are 5 hours ahead of server time" -----------------------------------


def test_the_admin_shows_dates_in_the_time_zone_the_browser_names(client, editor, researcher):
    claim = make_draft(researcher)
    client.force_login(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    # Django's date pickers warn when the page's offset is not the browser's.
    lima = _page(client.get(url)).body["data-admin-utc-offset"]
    assert lima == "-18000"
    client.cookies[TIMEZONE_COOKIE] = "Asia/Tokyo"
    assert _page(client.get(url)).body["data-admin-utc-offset"] == "32400"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", "x" * 300, "\\"])
def test_a_made_up_time_zone_falls_back_to_the_servers(client, editor, name):
    client.force_login(editor)
    client.cookies[TIMEZONE_COOKIE] = name
    page = _page(client.get(reverse("admin:index")))
    assert page.body["data-admin-utc-offset"] == "-18000"


def test_reader_pages_keep_the_newsrooms_time_zone(client, researcher, editor):
    claim = make_published(researcher, editor)
    client.cookies[TIMEZONE_COOKIE] = "Asia/Tokyo"
    first = client.get(claim.get_absolute_url()).content
    del client.cookies[TIMEZONE_COOKIE]
    assert client.get(claim.get_absolute_url()).content == first


# --- Spanish names in the Spanish admin ----------------------------------------


def test_the_spanish_admin_names_topics_and_ratings_in_spanish(client, editor, researcher):
    topic = TopicFactory(name="Border security", name_es="Seguridad fronteriza")
    claim = make_ready_claim(researcher)  # its verdict in progress rates it False
    services.claim_update(claim=claim, by=researcher, data={"topics": [topic]})
    client.force_login(editor)
    listing_url = "/es" + reverse("admin:claims_claim_changelist")
    change_url = "/es" + reverse("admin:claims_claim_change", args=[claim.pk])
    listing = client.get(listing_url).content.decode()
    assert "Seguridad fronteriza" in listing and "Border security" not in listing
    assert "Falso (propuesta)" in listing
    form = _page(client.get(change_url))
    options = [o.get_text() for o in form.select("select[name=topics] option")]
    assert "Seguridad fronteriza" in options


# --- The workflow log ---------------------------------------------------------------


def test_the_workflow_log_on_the_claims_page_reads_as_sentences(client, researcher, editor):
    editor.first_name = "Ana"
    editor.save()
    claim = make_in_review(researcher)
    services.claim_request_changes(claim=claim, by=editor, comment="Name the second source.")
    client.force_login(researcher)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    spanish_url = "/es" + url
    page = client.get(url).content.decode()
    assert re.search(r"Sent back for changes by Ana on \w+\.? \d+, \d{4}: Name the second", page)
    assert "in_review → draft" not in page and "(request_changes)" not in page
    spanish = client.get(spanish_url).content.decode()
    assert re.search(r"Devuelta para cambios por Ana el \d+ de \w+ de \d{4}", spanish)


# --- The duplicate-claim warning ------------------------------------------------------


def test_the_duplicate_warning_points_up_to_the_similar_claims_it_sits_below(
    client, researcher, editor
):
    make_draft(researcher, text="The border crisis is over.")
    client.force_login(researcher)
    url = reverse("admin:claims_claim_add")
    response = client.post(url, {"text": "The border crisis is over.", "language": "en"})
    page = _page(response)
    html = response.content.decode()
    warning = page.select_one("ul.errorlist.nonfield").get_text()
    assert html.index("similar-claims-heading") < html.index("errorlist nonfield")
    assert "similar claims listed above" in warning and "below" not in warning


# --- Figures -------------------------------------------------------------------------


def test_figures_read_as_typed_in_the_admin_and_the_api(client, researcher, editor):
    claim = make_in_review(researcher)
    evidence = claim.evidence.first()
    Evidence.objects.filter(pk=evidence.pk).update(
        figure_quantity="Police officers sent", figure_value="200", figure_unit="officers"
    )
    claim = services.claim_publish(claim=Claim.objects.get(pk=claim.pk), by=editor)
    client.force_login(editor)
    padded = re.compile(r"\b200[.,]0+\b")
    urls = [
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:claims_evidence_change", args=[evidence.pk]),
        reverse("admin:claims_evidence_changelist"),
        "/es" + reverse("admin:claims_evidence_change", args=[evidence.pk]),
        claim.get_absolute_url(),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "200" in body and not padded.search(body), url
    api = client.get(f"/api/v1/claims/{claim.pk}/").json()
    figures = [e["figure"] for e in api["evidence"] if e["figure"]]
    assert figures[0]["value"] == "200"


# --- "Propose a correction" -------------------------------------------------------------


def test_a_researcher_is_refused_the_correction_form_before_filling_it_in(
    client, researcher, editor
):
    claim = make_published(researcher, editor)
    client.force_login(researcher)
    change_url = reverse("admin:claims_claim_change", args=[claim.pk])
    propose = reverse("admin:claims_claim_correction_propose", args=[claim.pk])
    assert f'"{propose}"' not in client.get(change_url).content.decode()
    response = client.get(propose)
    assert response.status_code == 302 and response["Location"] == change_url
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You do not have permission to correct fact-checks."
    ]
    # A hand-made POST is refused the same way, and nothing is proposed.
    client.post(propose, {"kind": "correction", "note": "x", "conclusion": "y"})
    assert not claim.corrections.exists()
