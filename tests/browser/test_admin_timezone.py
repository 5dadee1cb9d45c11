"""An editor whose browser is not in the newsroom's time zone logs in and opens
a form with date fields: no "You are N hours ahead of server time" under them
(config.middleware.AdminTimezoneMiddleware, claims/static/claims/admin_timezone.js)."""

import pytest
from django.urls import reverse

from tests.browser.reader import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "Europe/Madrid"])
def test_date_fields_carry_no_time_zone_warning_after_login(chromium, live_server, editor, zone):
    context = chromium.new_context(
        base_url=live_server.url, timezone_id=zone, viewport={"width": 1366, "height": 768}
    )
    try:
        page = context.new_page()
        page.goto(reverse("admin:login"))
        page.fill("#id_username", editor.username)
        page.fill("#id_password", "pw")
        page.click("input[type=submit]")
        page.wait_for_url(f"**{reverse('admin:index')}")
        page.goto(reverse("admin:claims_claim_add"))
        page.wait_for_load_state("load")
        # The date picker has run: its calendar link is beside the date field.
        assert page.locator("#id_first_made_on ~ .datetimeshortcuts").count() == 1
        warnings = page.locator(".timezonewarning")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"admin-timezone-{zone.replace('/', '-')}.png"))
        assert warnings.count() == 0, warnings.all_inner_texts()
        cookie = {c["name"]: c["value"] for c in context.cookies()}["veraz_tz"]
        assert cookie == zone
    finally:
        context.close()
