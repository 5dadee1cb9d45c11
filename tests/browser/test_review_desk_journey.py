"""Acceptance 1 of the review desk: the newsroom's whole job on one claim,
through the admin, with three accounts (a researcher and two editors).

The researcher writes a claim from the seed reports and submits it; editor A
sends it back from the desk; the researcher finds the request on the desk,
fixes the claim and resubmits; editor A reviews the diff and publishes, then
proposes a correction; editor B approves it from the desk. Readers see each
result on the public page. A screenshot is saved for every step.

What is counted: page loads in the three newsroom tabs, that is responses to
main-frame navigation requests that are not redirects (each is a document the
browser rendered). A link followed is one load; a form posted is one load (its
302 is not counted, the page it redirects to is). Not counted: the redirect
responses themselves, same-document changes, XHR (the autocomplete lookups),
subresources, and the reader's tab (an anonymous visitor checking the public
page, not one of the three accounts). Logging in is not counted either: the
browser fixtures had no login of their own, so each account gets a session
cookie from Django's test client (`force_login`); the login form would add one
load per account (its page; the post lands on the desk, the first load here).
Walking this path before the desk took 35 page loads; the desk must halve it.
"""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from claims import desk
from claims.models import Claim, ClaimStatus
from tests.browser.reader import Reader
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGE_LOADS_BEFORE_THE_DESK = 35
# From the CNN en Español report in /work/shared/seeds (the demo's sources).
CLAIM = "The IOM increased its assistance in Tacna by 134%."
RESUBMITTED = "The IOM increased its assistance in the Tacna area by 134%."
CNN = "Migrants try to forcefully cross the border"
BIOBIO = "Peru deploys police patrols"
REQUEST = "Say which area: the report says the area, not the whole city."


class NewsroomTab(Reader):
    """One account's browser tab, logged in by session cookie, counting the
    page loads of the walk (see the module docstring)."""

    def __init__(self, browser, base_url, user, loads, shots):
        super().__init__(browser, base_url, width=1366, height=768)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
        self.loads = loads
        self.shots = shots
        self.page.on("response", self._count)

    def _count(self, response):
        if (
            response.request.is_navigation_request()
            and response.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            request = response.request
            came_from = request.redirected_from
            via = f"{came_from.method} {came_from.url} -> " if came_from else ""
            self.loads.append(f"{via}{request.method} {request.url}")

    def screenshot(self, name: str) -> Path:
        self.page.wait_for_load_state("load")
        self.check()
        path = self.shots / f"{name}.png"
        for attempt in range(3):
            try:
                self.page.screenshot(path=str(path), full_page=True)
                return path
            except PlaywrightError as error:
                if "Unable to capture screenshot" not in str(error) or attempt == 2:
                    raise
        return path


def choose(page, field_id, typed, option):
    """Pick `option` in an autocomplete (select2) field by typing `typed`."""
    page.locator(f"#{field_id} + .select2").click()
    # Typing before the first lookup answers would abort it (a failed request).
    results = page.locator(".select2-container--open .select2-results__option")
    expect(results.filter(has_not_text="Searching")).not_to_have_count(0)
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    results.filter(has_text=option).first.click()
    expect(page.locator(f"#{field_id} + .select2")).to_contain_text(option)


def add_evidence(page, index, *, source, typed, excerpt, stance):
    page.locator("#evidence-group .add-row a").click()
    choose(page, f"id_evidence-{index}-source", typed, source)
    page.locator(f"#id_evidence-{index}-stance").select_option(stance)
    page.locator(f"#id_evidence-{index}-excerpt").fill(excerpt)


def desk_queue(page, key):
    return page.locator(f"#desk-{key}")


def test_three_accounts_take_a_claim_from_draft_to_a_published_correction(
    chromium, live_server, settings, tmp_path, capsys
):
    settings.SITE_URL = live_server.url
    call_command("load_demo", stdout=StringIO())
    shots = Path(os.environ.get("VERAZ_SCREENSHOT_DIR") or tmp_path) / "review-desk"
    shots.mkdir(parents=True, exist_ok=True)
    researcher = UserFactory(username="rosa", first_name="Rosa", role="Researcher")
    editor_a = UserFactory(username="ana", first_name="Ana", role="Editor")
    editor_b = UserFactory(username="bruno", first_name="Bruno", role="Editor")
    # The demo newsroom has work of its own waiting; ours comes on top of it.
    in_review = desk.waiting_for_review(editor_a).count()
    corrections_for_b = desk.corrections_waiting_for(editor_b).count()
    loads: list[str] = []
    tabs = [
        NewsroomTab(chromium, live_server.url, user, loads, shots)
        for user in (researcher, editor_a, editor_b)
    ]
    rosa, ana, bruno = (tab.page for tab in tabs)
    reader = Reader(chromium, live_server.url)
    try:
        # 1. The researcher writes the claim, with its evidence and a verdict.
        rosa.goto("/admin/")
        rosa.locator('a.addlink[href$="/claims/claim/add/"]').click()
        rosa.locator("#id_text").fill(CLAIM)
        choose(rosa, "id_claimant", "IOM", "International Organization for Migration")
        rosa.locator("#appearances-group .add-row a").click()
        choose(rosa, "id_appearances-0-source", "forcefully", CNN)
        rosa.locator("#id_appearances-0-quote").fill(
            "it increased its assistance in the area by 134%"
        )
        add_evidence(
            rosa,
            0,
            source=CNN,
            typed="forcefully",
            excerpt="it increased its assistance in the area by 134%",
            stance="supports",
        )
        add_evidence(
            rosa,
            1,
            source=BIOBIO,
            typed="patrols",
            excerpt="at least 300 people remained at the border",
            stance="context",
        )
        rosa.locator("#verdicts-group .add-row a").click()
        rosa.locator("#id_verdicts-0-rating").select_option(label="True")
        rosa.locator("#id_verdicts-0-conclusion").fill("The IOM reported a 134% increase.")
        rosa.locator("#id_verdicts-0-explanation").fill(
            "CNN en Español reports the IOM's own figure for the Tacna area."
        )
        tabs[0].screenshot("01-researcher-writes-the-claim")

        # 2. ... and submits it for review with the same click that saves it.
        rosa.get_by_role("button", name="Save and submit for review").click()
        expect(rosa.locator("#workflow-heading")).to_have_text("Workflow: In review")
        expect(rosa.locator(".messagelist")).to_contain_text("Saved and submitted for review.")
        tabs[0].screenshot("02-researcher-submitted")
        claim = Claim.objects.get(text=CLAIM)

        # 3. Editor A finds it waiting for review and sends it back.
        ana.goto("/admin/")
        review = desk_queue(ana, "review")
        expect(review.locator(".desk-count")).to_have_text(f"({in_review + 1})")
        tabs[1].screenshot("03-editor-a-desk-waiting-for-review")
        review.locator("tr", has_text=CLAIM).get_by_role("link", name="Review…").click()
        # A first review: the whole claim is new to readers.
        wording = ana.locator(".page-diff tr[data-field=text]")
        expect(wording.locator("td.diff-new ins")).to_have_text(CLAIM)
        ana.get_by_label("What needs to change").fill(REQUEST)
        tabs[1].screenshot("04-editor-a-requests-changes")
        ana.get_by_role("button", name="Request changes").click()
        expect(ana.locator("#workflow-heading")).to_have_text("Workflow: Draft")

        # 4. The researcher sees the request on the desk and on the claim.
        rosa.goto("/admin/")
        returned = desk_queue(rosa, "returned")
        expect(returned.locator(".desk-count")).to_have_text("(1)")
        expect(returned.locator(".change-request")).to_contain_text("Changes requested by Ana")
        expect(returned.locator(".change-request")).to_contain_text(REQUEST)
        expect(rosa.locator("#desk-notifications")).to_contain_text("Changes requested")
        tabs[0].screenshot("05-researcher-desk-returned-to-me")
        returned.get_by_role("link", name=CLAIM).click()
        notice = rosa.locator("#change-request")
        expect(notice).to_contain_text("Changes requested by Ana")
        expect(notice).to_contain_text(REQUEST)
        # The notice is the first thing on the page, above the claim's form.
        notice_top = notice.bounding_box()["y"]
        assert notice_top < rosa.locator("#claim_form").bounding_box()["y"]
        tabs[0].screenshot("06-researcher-sees-the-request-at-the-top")

        # 5. ... fixes the wording and resubmits.
        rosa.locator("#id_text").fill(RESUBMITTED)
        rosa.get_by_role("button", name="Save and submit for review").click()
        expect(rosa.locator("#workflow-heading")).to_have_text("Workflow: In review")
        expect(rosa.locator("#change-request")).to_have_count(0)
        tabs[0].screenshot("07-researcher-resubmits")

        # 6. Editor A reviews what changed since the request, and publishes.
        ana.goto("/admin/")
        review = desk_queue(ana, "review")
        expect(review.locator(".desk-count")).to_have_text(f"({in_review + 1})")
        review.locator("tr", has_text=RESUBMITTED).get_by_role("link", name="Review…").click()
        wording = ana.locator(".page-diff tr[data-field=text]")
        expect(wording).to_have_class(re.compile(r"\bchanged\b"))
        # "in Tacna" became "in the Tacna area": the two added words are marked.
        expect(wording.locator("td.diff-new ins")).to_have_text(["the", "area"])
        expect(wording.locator("td.diff-old")).to_have_text(CLAIM)
        tabs[1].screenshot("08-editor-a-reviews-the-diff")
        ana.get_by_role("button", name="Approve and publish").click()
        expect(ana.locator("#workflow-heading")).to_have_text("Workflow: Published")
        tabs[1].screenshot("09-editor-a-published")
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.PUBLISHED

        reader.page.goto(claim.get_absolute_url())
        expect(reader.page.locator("h1")).to_have_text(RESUBMITTED)
        expect(reader.page.locator(".verdict .rating-badge__label")).to_have_text("True")
        reader.check()
        reader.page.screenshot(path=str(shots / "10-reader-sees-the-fact-check.png"))

        # 7. Editor A proposes a correction of the rating.
        ana.get_by_role("link", name="Propose a correction").click()
        ana.locator("#id_rating").select_option(label="Mostly true")
        ana.locator("#id_note").fill("The 134% figure is the IOM's, for the area around Tacna.")
        tabs[1].screenshot("11-editor-a-proposes-a-correction")
        ana.get_by_role("button", name="Propose correction").click()
        expect(ana.locator(".pending-correction")).to_be_visible()

        # 8. Editor B finds it on the desk, sees old against new, approves.
        bruno.goto("/admin/")
        corrections = desk_queue(bruno, "corrections")
        expect(corrections.locator(".desk-count")).to_have_text(f"({corrections_for_b + 1})")
        tabs[2].screenshot("12-editor-b-desk-corrections")
        corrections.locator("tr", has_text=RESUBMITTED).get_by_role(
            "link", name="Review and publish correction…"
        ).click()
        rating_row = bruno.locator(".page-diff tr[data-field=rating]")
        expect(rating_row).to_have_class(re.compile(r"\bchanged\b"))
        expect(rating_row.locator("td.diff-old del")).to_have_text("True")
        expect(rating_row.locator("td.diff-new ins")).to_contain_text("Mostly")
        tabs[2].screenshot("13-editor-b-reviews-the-correction")
        bruno.get_by_role("button", name="Publish correction").click()
        expect(bruno.locator(".pending-correction")).to_have_count(0)
        tabs[2].screenshot("14-editor-b-published-the-correction")

        # A reader arriving now; the first one's browser may keep the page
        # for READER_CACHE_MAX_AGE, as readers' browsers do.
        reader.close()
        reader = Reader(chromium, live_server.url)
        reader.page.goto(claim.get_absolute_url())
        expect(reader.page.locator(".verdict .rating-badge__label")).to_have_text("Mostly true")
        expect(reader.page.locator("main")).to_contain_text("The rating was changed.")
        reader.check()
        reader.page.screenshot(path=str(shots / "15-reader-sees-the-correction.png"))
    finally:
        for tab in (*tabs, reader):
            tab.close()

    with capsys.disabled():
        print(f"\nReview desk walk: {len(loads)} page loads; screenshots in {shots}")
        for number, load in enumerate(loads, 1):
            print(f"  {number:2}. {load}")
    assert len(loads) <= PAGE_LOADS_BEFORE_THE_DESK // 2, loads
