import datetime

import pytest
from django.utils import timezone

from claims import services
from tests.factories import SourceFactory, make_published

pytestmark = pytest.mark.django_db


def repeat(claim, by, editor2, days_after):
    """The claim is said again, after it was rated, and the update is published."""
    services.appearance_create(
        claim=claim,
        by=by,
        source=SourceFactory(),
        quote="It is over, again.",
        appeared_on=timezone.localdate() + datetime.timedelta(days=days_after),
    )


def test_claim_page_and_api_show_repetitions_since_rating(client, researcher, editor, editor2):
    claim = make_published(researcher, editor)
    assert "since we rated it" not in client.get(claim.get_absolute_url()).content.decode()

    repeat(claim, researcher, editor2, days_after=2)
    repeat(claim, researcher, editor2, days_after=3)
    # Still pending: repetitions count only once the update is published.
    assert client.get(f"/api/v1/claims/{claim.pk}/").json()["repetitions_since_rating"] == 0
    correction = services.correction_propose(
        claim=claim, by=editor, kind="update", note="The claim was repeated twice."
    )
    services.correction_publish(correction=correction, by=editor2)

    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Repeated 2 times since we rated it." in page
    spanish = client.get(f"/es{claim.get_absolute_url()}").content.decode()
    assert "Repetida 2 veces desde que la calificamos." in spanish
    assert client.get(f"/api/v1/claims/{claim.pk}/").json()["repetitions_since_rating"] == 2
    listed = client.get("/api/v1/claims/").json()["results"]
    assert listed[0]["repetitions_since_rating"] == 2


def test_search_results_show_escaped_snippets_with_the_words_marked(client, researcher, editor):
    make_published(researcher, editor, text='Police <b>"deployed"</b> 180 officers to the border')
    page = client.get("/claims/", {"q": "officers"}).content.decode()
    assert '<p class="claim-row__snippet"' in page
    snippet = page.split('<p class="claim-row__snippet"', 1)[1].split("</p>", 1)[0]
    assert "<mark>officers</mark>" in snippet
    assert "<b>" not in snippet and "&lt;b&gt;" in snippet
