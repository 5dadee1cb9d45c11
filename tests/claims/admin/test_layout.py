"""What the admin's layout rests on beyond its stylesheet: the icon, text
areas for long text, and the claim's full wording where a list cuts it.
(The pixels themselves are checked in tests/browser/test_admin_layout.py.)"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from claims.admin.forms import ClaimAdminForm, CorrectionProposalForm, SentenceTextarea
from claims.models import RatingScale
from tests.factories import make_draft, make_published

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert finders.find("favicon.svg")


def test_every_admin_page_names_the_icon_and_the_layout_stylesheet(client, editor, researcher):
    claim = make_draft(researcher)
    client.force_login(editor)
    for url in [
        reverse("admin:index"),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[claim.pk]),
        reverse("admin:sources_source_add"),
    ]:
        page = BeautifulSoup(client.get(url).content, "html.parser")
        icon = page.find("link", rel="icon")
        assert icon is not None and icon["href"] == static("favicon.svg"), url
        sheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
        # Last, so it wins over Django's responsive.css.
        assert sheets[-1] == static("claims/admin_layout.css"), url
        assert page.find("nav", id="nav-sidebar") is None, url


def test_claim_wording_context_and_conclusions_are_text_areas(client, editor, researcher):
    claim = make_draft(researcher)
    client.force_login(researcher)
    page = BeautifulSoup(
        client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content, "html.parser"
    )
    for name in ["text", "context", "verdicts-0-conclusion", "verdicts-0-explanation"]:
        field = page.find(attrs={"name": name})
        assert field is not None and field.name == "textarea", name
    assert page.find("textarea", attrs={"name": "text"})["maxlength"] == "500"
    assert isinstance(ClaimAdminForm().fields["text"].widget, SentenceTextarea)
    correction = CorrectionProposalForm(scale=RatingScale.objects.get(is_default=True))
    assert str(correction["conclusion"]).startswith("<textarea")


def test_a_line_break_in_a_one_line_text_area_is_saved_as_a_space():
    widget = SentenceTextarea()
    typed = {"text": "Peru deployed 180 officers\r\n  to the border.\n"}
    assert (
        widget.value_from_datadict(typed, {}, "text") == "Peru deployed 180 officers to the border."
    )
    assert widget.value_from_datadict({}, {}, "text") is None


def test_the_claims_list_cuts_a_long_claim_at_a_word_with_the_whole_claim_on_hover(
    client, editor, researcher
):
    words = "The number of migrants stranded at the Peru–Chile border fell sharply " * 3
    claim = make_draft(researcher, text=words.strip())
    client.force_login(editor)
    page = BeautifulSoup(
        client.get(reverse("admin:claims_claim_changelist")).content, "html.parser"
    )
    cell = page.find(class_="field-short_text")
    shown = cell.get_text().strip()
    assert cell.find("span")["title"] == claim.text
    assert shown.endswith("…") and len(shown) <= 140
    assert claim.text.startswith(shown[:-1] + " ")


def test_a_published_claims_correction_form_uses_the_admins_field_rows(client, editor, researcher):
    claim = make_published(researcher, editor)
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_correction_propose", args=[claim.pk]))
    page = BeautifulSoup(response.content, "html.parser")
    row = page.find(class_="field-conclusion")
    assert row.find(class_="flex-container").find("textarea", attrs={"name": "conclusion"})
