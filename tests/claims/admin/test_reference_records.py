"""Claimants, topics, publishers and sources in the admin: what a published
page shows changes only by an editor, through the record services, and two
people editing one record never silently overwrite each other."""

import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from claims.models import Claimant, Topic
from sources.models import Publisher, Source
from tests.factories import (
    ClaimantFactory,
    PublisherFactory,
    SourceFactory,
    TopicFactory,
    make_draft,
    make_published,
)
from tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def published_record(model, researcher, editor):
    """A record of `model` that a published fact-check shows to readers."""
    claim = make_published(researcher, editor, topics=[TopicFactory()])
    evidence = claim.evidence.select_related("source__publisher").first()
    return {
        Claimant: claim.claimant,
        Topic: claim.topics.first(),
        Source: evidence.source,
        Publisher: evidence.source.publisher,
    }[model]


NAME = {Claimant: "name", Topic: "name", Source: "title", Publisher: "name"}


@pytest.mark.parametrize("model", [Claimant, Topic, Source, Publisher])
def test_researcher_cannot_change_a_record_shown_on_a_published_page(
    model, client, researcher, editor, unchanged_database
):
    record = published_record(model, researcher, editor)
    client.force_login(editor)
    data = form_data(client.get(change_url(record)))
    data[NAME[model]] = "Renamed without review"
    client.force_login(researcher)
    page = client.get(change_url(record))
    assert page.status_code == 200  # they may still read it
    assert 'name="_save"' not in page.content.decode()
    with unchanged_database():
        assert client.post(change_url(record), data).status_code == 403


@pytest.mark.parametrize("model", [Claimant, Topic, Source, Publisher])
def test_editor_changes_a_published_record_and_history_keeps_it(model, client, researcher, editor):
    record = published_record(model, researcher, editor)
    client.force_login(editor)
    data = form_data(client.get(change_url(record)))
    data[NAME[model]] = "Corrected name"
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert getattr(record, NAME[model]) == "Corrected name"
    assert record.version == 2
    latest = record.history.latest()
    assert latest.history_user == editor and latest.history_type == "~"


def test_researcher_still_fixes_a_record_no_published_page_shows(client, researcher):
    claimant = make_draft(researcher).claimant
    client.force_login(researcher)
    data = form_data(client.get(change_url(claimant)))
    data["name"] = "Fixed typo"
    assert client.post(change_url(claimant), data).status_code == 302
    claimant.refresh_from_db()
    assert claimant.name == "Fixed typo"


@pytest.mark.parametrize(
    "factory", [ClaimantFactory, TopicFactory, SourceFactory, PublisherFactory]
)
def test_two_sessions_never_lose_the_first_edit(factory, client, editor, editor2):
    record = factory()
    model = type(record)
    field = NAME[model]
    first, second = client, type(client)()
    first.force_login(editor)
    second.force_login(editor2)
    first_data = form_data(first.get(change_url(record)))
    second_data = form_data(second.get(change_url(record)))
    first_data[field] = "First edit"
    second_data[field] = "Second edit"
    assert first.post(change_url(record), first_data).status_code == 302
    refused = second.post(change_url(record), second_data)
    assert refused.status_code == 200  # the form again, with their input
    body = refused.content.decode()
    assert "changed by someone else" in body and "Second edit" in body
    record.refresh_from_db()
    assert getattr(record, field) == "First edit" and record.version == 2


def _two_sessions(first_user, second_user, url, first_change, second_change):
    """Two people open `url`, both edit, first saves, then second saves."""
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(first_user)
    second.force_login(second_user)
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data.update(first_change)
    second_data.update(second_change)
    saved = first.post(url, first_data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    return second.post(url, second_data)


def test_rating_scale_and_its_ratings_keep_the_first_edit(superuser, editor):
    from claims.models import RatingScale

    scale = RatingScale.objects.get(is_default=True)
    url = change_url(scale)
    refused = _two_sessions(superuser, superuser, url, {"name": "Scale A"}, {"name": "Scale B"})
    assert refused.status_code == 200 and "changed by someone else" in refused.content.decode()
    scale.refresh_from_db()
    assert scale.name == "Scale A"

    rating = scale.ratings.order_by("order").first()
    prefix = f"ratings-{list(scale.ratings.order_by('order')).index(rating)}"
    refused = _two_sessions(
        superuser,
        superuser,
        url,
        {f"{prefix}-label": "First label"},
        {f"{prefix}-label": "Second label"},
    )
    assert refused.status_code == 200 and "changed by someone else" in refused.content.decode()
    rating.refresh_from_db()
    assert rating.label == "First label" and rating.version == 2
    assert rating.history.latest().history_user == superuser


def test_site_pages_keep_the_first_edit_and_their_history(superuser):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    page = FlatPage.objects.create(url="/test-about/", title="About", content="Who we are.")
    page.sites.add(Site.objects.get_current())
    refused = _two_sessions(
        superuser, superuser, change_url(page), {"title": "About us"}, {"title": "About Veraz"}
    )
    assert refused.status_code == 200 and "changed by someone else" in refused.content.decode()
    page.refresh_from_db()
    assert page.title == "About us" and page.edit_version.version == 2
    assert page.history.latest().title == "About us"


def test_linking_an_external_review_keeps_the_first_link(demo_review, editor, editor2):
    first_claim, second_claim = make_draft(editor, text="One."), make_draft(editor, text="Two.")
    refused = _two_sessions(
        editor,
        editor2,
        change_url(demo_review),
        {"claim": str(first_claim.pk)},
        {"claim": str(second_claim.pk)},
    )
    assert refused.status_code == 200 and "changed by someone else" in refused.content.decode()
    demo_review.refresh_from_db()
    assert demo_review.claim == first_claim


@pytest.fixture
def demo_review(db):
    from claims.models import ExternalReview
    from claims.services import import_claimreviews

    import_claimreviews(
        '{"@type": "ClaimReview", "url": "https://other.example/check", '
        '"claimReviewed": "A claim.", "reviewRating": {"alternateName": "False"}}'
    )
    return ExternalReview.objects.get()


def test_the_source_picker_lists_sources_in_a_stable_order(client, researcher):
    """The evidence form's source picker pages through sources. Their admin
    queryset counts citations (a GROUP BY, which drops Meta.ordering), so it
    was unordered: Django warned, and a page could repeat or skip a source."""
    from datetime import date

    from tests.factories import SourceFactory

    for day, title in [(3, "B"), (1, "A"), (3, "A"), (2, "C")]:
        SourceFactory(title=f"{title} report {day}", published_on=date(2026, 1, day))
    client.force_login(researcher)
    url = reverse("admin:autocomplete")
    query = {"app_label": "claims", "model_name": "evidence", "field_name": "source", "term": ""}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = client.get(url, query)
    assert response.status_code == 200
    titles = [row["text"] for row in response.json()["results"]]
    assert [t.split(" (")[0] for t in titles][:4] == [
        "A report 3",
        "B report 3",
        "C report 2",
        "A report 1",
    ], titles
