"""Acceptance 1 and 2 in a real browser: a reader's walk through the site, and
a claim full of markup that must stay text."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from claims import services
from tests.browser.reader import SCREENSHOTS, Reader
from tests.factories import ClaimantFactory, SourceFactory, UserFactory, rating

pytestmark = [
    pytest.mark.browser,
    # Transactional (the live server reads what the test writes); the rating
    # scale, roles and flat pages from migrations are restored after each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOSTILE_TEXT = 'Ella dijo "</script><script>alert(1)</script>" <!-- ¿sí? --> en Perú, señor'
HOSTILE_QUOTE = 'Cita: "</script><script>alert(2)</script>" <!-- fin --> áéíóú ñ'


def test_reader_walks_from_home_to_a_claim_its_source_and_claimant_then_spanish(
    chromium, live_server, settings, capsys
):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    reader = Reader(chromium, live_server.url)
    page = reader.page
    try:
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name="Latest fact-checks").is_visible()
        reader.check()
        reader.screenshot("01-home")

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Fact-checks").click()
        page.wait_for_url("**/claims/")
        assert page.get_by_role("heading", name="5 fact-checks").is_visible()
        reader.check()
        reader.screenshot("02-list")

        page.get_by_label("Rating").select_option(label="Mostly true")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/claims/?*rating=mostly-true*")
        labels = page.locator(".claim-row .rating-badge__label").all_inner_texts()
        assert labels == ["Mostly true", "Mostly true"]
        reader.check()
        reader.screenshot("03-list-filtered-by-rating")

        page.get_by_role("link", name="Peru has deployed 180 national police officers").click()
        page.wait_for_url("**/claims/peru-deployed-180-police-border/")
        verdict = page.locator(".verdict .rating-badge__label").inner_text()
        assert verdict == "Mostly true"
        review = json.loads(page.locator('script[type="application/ld+json"]').text_content())
        assert review["reviewRating"]["alternateName"] == verdict
        assert review["url"] == page.url
        assert page.locator("figure.figure-chart svg[role=img]").count() == 1
        reader.check()
        reader.screenshot("04-claim")

        page.locator(".appearances cite a").first.click()
        page.wait_for_url("**/sources/biobiochile-border-patrols/")
        assert page.get_by_role("heading", name="Fact-checks that cite this source").is_visible()
        reader.check()
        reader.screenshot("05-source")

        page.locator(".claim-row__meta").get_by_role("link", name="Ignacio Higueras").first.click()
        page.wait_for_url("**/claimants/ignacio-higueras/")
        assert page.locator("table.rating-chart").is_visible()
        reader.check()
        reader.screenshot("06-claimant")

        page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
        page.wait_for_url("**/es/claimants/ignacio-higueras/")
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.get_by_role("heading", name="Afirmaciones verificadas").is_visible()
        assert page.get_by_role("link", name="Saltar al contenido principal").count() == 1
        reader.check()
        reader.screenshot("07-claimant-in-spanish")

        assert reader.context.cookies() == []
    finally:
        reader.close()

    phone = Reader(chromium, live_server.url, width=390, height=844)
    try:
        phone.page.goto("/es/claims/migrant-crisis-overcome/")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the claim page scrolls sideways on a phone ({width}px)"
        phone.check()
        phone.screenshot("08-claim-in-spanish-on-a-phone")
    finally:
        phone.close()

    with capsys.disabled():
        print(f"\nScreenshots of the reader's walk: {SCREENSHOTS}")


def test_markup_in_a_claim_stays_text_and_its_json_ld_round_trips(
    chromium, live_server, settings, capsys
):
    settings.SITE_URL = live_server.url
    researcher = UserFactory(username="rita", role="Researcher")
    editor = UserFactory(username="eddie", role="Editor")
    claim = services.claim_create(
        by=researcher,
        text=HOSTILE_TEXT,
        claimant=ClaimantFactory(name='María "<b>" Pérez'),
        language="es",
    )
    first, second = SourceFactory(), SourceFactory()
    services.appearance_create(claim=claim, by=researcher, source=first, quote=HOSTILE_QUOTE)
    for source in (first, second):
        services.evidence_create(
            claim=claim, by=researcher, source=source, excerpt="Dato", stance="refutes"
        )
    services.verdict_create(
        claim=claim,
        by=researcher,
        rating=rating("false"),
        conclusion="</script><script>alert(3)</script>",
        explanation="<script>alert(4)</script> **No.**",
    )
    services.claim_submit(claim=claim, by=researcher)
    services.claim_publish(claim=claim, by=editor)

    reader = Reader(chromium, live_server.url)
    page = reader.page
    try:
        url = claim.get_absolute_url()
        # The claim pages hold one script element, the JSON-LD; the lists none.
        for path, scripts in ((url, 1), ("/es" + url, 1), ("/", 0), ("/claims/", 0)):
            page.goto(path)
            reader.check()
            assert HOSTILE_TEXT in page.locator("main").inner_text()
            assert page.locator("script").count() == scripts, path

        page.goto(claim.get_absolute_url())
        assert page.locator("h1").inner_text() == HOSTILE_TEXT
        assert page.locator(".appearances blockquote").inner_text() == HOSTILE_QUOTE
        assert (
            page.locator(".verdict__conclusion").inner_text()
            == "</script><script>alert(3)</script>"
        )
        blocks = page.locator('script[type="application/ld+json"]')
        assert blocks.count() == 1
        review = json.loads(blocks.text_content())
        assert review["claimReviewed"] == HOSTILE_TEXT
        assert review["description"] == "</script><script>alert(3)</script>"
        assert review["itemReviewed"]["author"]["name"] == 'María "<b>" Pérez'
        # The browser parsed the data block as one element holding exactly that JSON.
        parsed = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').text)"
        )
        assert parsed == review
        assert reader.dialogs == []
        reader.check()
        path = reader.screenshot("09-claim-with-markup-in-its-text")
    finally:
        reader.close()
    with capsys.disabled():
        print(f"\nScreenshot of the hostile claim: {path}")
