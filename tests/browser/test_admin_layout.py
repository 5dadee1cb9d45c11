"""Acceptance 2 of issue 14: the admin is readable at 1366 × 768 and on a tablet.

An editor, with the demo newsroom loaded, opens every changelist, one change
form of each model and every add form the demo's admin offers. On each page no
two visible controls (links, buttons, inputs, selects, text areas, labels for
a field) may overlap, and neither the page nor a changelist's table may scroll
sideways. A screenshot of each page is saved for a person to look at; the
directory is printed at the end (test-artifacts/, not committed).
"""

import contextlib

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import NoReverseMatch, reverse

from tests.browser.reader import SCREENSHOTS, Reader
from tests.claims.admin.test_claims import demo as _demo_data  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 768}
TABLETS = [{"width": 1024, "height": 768}, {"width": 820, "height": 1180}]

# Everything a person can click or type into, and the words of the headings.
# A label counts when it names a field (label[for]); a label wrapping its own
# checkbox is one control with it.
LAYOUT_PROBLEMS = """
() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, label[for]";
  const boxes = [];
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    if (style.visibility !== "visible" || style.display === "none") continue;
    const rect = element.getBoundingClientRect();
    // Visually hidden stand-ins (select2's original <select>, skip links) are
    // 1 px or clipped away; they cannot be clicked.
    if (rect.width <= 1 || rect.height <= 1) continue;
    if (element.closest("[hidden], .hidden, .select2-hidden-accessible")) continue;
    boxes.push({element, rect});
  }
  // A heading's words (not its full-width box): a button floated over
  // "Workflow: Published" or "Pending correction" hides what the page says.
  for (const heading of document.querySelectorAll("#content h1, #content h2, #content h3")) {
    const style = getComputedStyle(heading);
    if (style.visibility !== "visible" || style.display === "none") continue;
    const range = document.createRange();
    range.selectNodeContents(heading);
    const rect = range.getBoundingClientRect();
    if (rect.width > 1 && rect.height > 1) boxes.push({element: heading, rect});
  }
  const describe = (element) => {
    const text = (element.innerText || element.value || element.name || element.id || "").trim();
    const id = element.id ? "#" + element.id : "";
    return `${element.tagName.toLowerCase()}${id} "${text.slice(0, 40)}"`;
  };
  const problems = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
      const overlapX = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
      const overlapY = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
      // A pixel of touching borders is not an overlap a person notices.
      if (overlapX > 1 && overlapY > 1) {
        problems.push(`${describe(a.element)} overlaps ${describe(b.element)}`);
      }
    }
  }
  // A cell the stylesheet cut short names its full text in a tooltip.
  for (const cell of document.querySelectorAll("#result_list td, #result_list tbody th")) {
    if (cell.scrollWidth > cell.clientWidth + 1 && !cell.closest("[title]")) {
      problems.push(`${describe(cell)} is cut short without a tooltip`);
    }
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways (${root.scrollWidth}px in ${root.clientWidth}px)`);
  }
  for (const results of document.querySelectorAll("#changelist .results")) {
    if (results.scrollWidth > results.clientWidth + 1) {
      const [wide, room] = [results.scrollWidth, results.clientWidth];
      problems.push(`the list scrolls sideways (${wide}px in ${room}px)`);
    }
  }
  return problems;
}
"""


def log_in(reader: Reader, user, base_url: str) -> None:
    """Give the browser a session for `user` (the login form has its own tests)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    reader.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base_url}]
    )


def admin_pages(user) -> list[tuple[str, str]]:
    """(name, path) of every admin page of the demo the user may open."""
    pages = [("index", reverse("admin:index"))]
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        request = type("Request", (), {"user": user})()
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append((f"{info}-list", reverse(f"admin:{info}_changelist")))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append((f"{info}-change", reverse(f"admin:{info}_change", args=[obj.pk])))
        if model_admin.has_add_permission(request):
            with contextlib.suppress(NoReverseMatch):
                pages.append((f"{info}-add", reverse(f"admin:{info}_add")))
    return pages


def check_pages(chromium, live_server, user, viewport, pages) -> dict[str, list[str]]:
    reader = Reader(chromium, live_server.url, **viewport)
    log_in(reader, user, live_server.url)
    size = f"{viewport['width']}x{viewport['height']}"
    found = {}
    try:
        for name, path in pages:
            response = reader.page.goto(path)
            assert response.status == 200, (path, response.status)
            reader.page.wait_for_load_state("load")
            problems = reader.page.evaluate(LAYOUT_PROBLEMS)
            reader.screenshot(f"admin-layout/{size}/{name}")
            # Console errors, failed requests (a missing favicon), dialogs and
            # Content-Security-Policy violations count too; gathered per page
            # so one run lists every problem.
            problems += reader.problems + reader.dialogs
            problems += reader.page.evaluate("window.__veraz.violations")
            reader.problems.clear()
            reader.dialogs.clear()
            if problems:
                found[path] = problems
    finally:
        reader.close()
    return found


def report(found: dict[str, list[str]]) -> str:
    lines = []
    for path, problems in found.items():
        lines.append(path)
        lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


def claim_pages() -> list[tuple[str, str]]:
    """A published claim's page and the forms it leads to (the correction form
    was the most cramped), and a claim with a correction on its page."""
    from claims.models import Claim

    published = Claim.objects.public().order_by("pk").first()
    corrected = Claim.objects.filter(corrections__isnull=False).order_by("pk").first()
    pages = [
        ("claim-published", reverse("admin:claims_claim_change", args=[published.pk])),
        ("claim-merge", reverse("admin:claims_claim_merge", args=[published.pk])),
        (
            "claim-correction-propose",
            reverse("admin:claims_claim_correction_propose", args=[published.pk]),
        ),
    ]
    if corrected is not None:
        pages.append(("claim-corrected", reverse("admin:claims_claim_change", args=[corrected.pk])))
    pending = Claim.objects.filter(corrections__published_at__isnull=True).order_by("pk").first()
    if pending is not None:
        pages.append(
            ("claim-pending-correction", reverse("admin:claims_claim_change", args=[pending.pk]))
        )
    return pages


@pytest.fixture
def editor_with_demo(_demo_data, editor, editor2):  # noqa: F811
    """The demo, plus a correction another editor proposed: the claim's page
    then shows every workflow button at once (retract, merge, publish or
    discard the correction), where they used to cover each other."""
    from claims import services
    from claims.models import Claim, CorrectionKind

    claim = Claim.objects.public().filter(corrections__isnull=True).order_by("pk").first()
    services.correction_propose(
        claim=claim,
        by=editor2,
        kind=CorrectionKind.CLARIFICATION,
        note="The figure now names the ministry that gave it.",
    )
    return editor


def test_every_admin_page_fits_1366_by_768_without_overlapping_controls(
    chromium, live_server, editor_with_demo, capsys
):
    pages = admin_pages(editor_with_demo) + claim_pages()
    assert len(pages) > 30  # every changelist, change and add form, not a sample
    found = check_pages(chromium, live_server, editor_with_demo, DESKTOP, pages)
    with capsys.disabled():
        print(f"\nadmin layout screenshots: {SCREENSHOTS / 'admin-layout'}")
    assert not found, report(found)


MAIN_PAGES = [
    "admin:index",
    "admin:claims_claim_changelist",
    "admin:claims_claim_add",
    "admin:sources_source_changelist",
]


@pytest.mark.parametrize("viewport", TABLETS, ids=lambda v: f"{v['width']}x{v['height']}")
def test_main_admin_pages_fit_a_tablet(chromium, live_server, editor_with_demo, viewport):
    pages = [(name.split(":")[1], reverse(name)) for name in MAIN_PAGES] + claim_pages()
    found = check_pages(chromium, live_server, editor_with_demo, viewport, pages)
    assert not found, report(found)
