import datetime

import pytest
from django.utils import timezone

from claims.filters import ClaimFilter
from claims.models import Claim
from tests.factories import TopicFactory, make_published

pytestmark = pytest.mark.django_db


def run(params):
    f = ClaimFilter(params, queryset=Claim.objects.public())
    assert f.is_valid(), f.errors
    return list(f.qs)


def test_filters_by_rating_topic_claimant_and_language(researcher, editor):
    topic = TopicFactory(slug="crime")
    false = make_published(researcher, editor, text="A", rating_slug="false", topics=[topic])
    true = make_published(researcher, editor, text="B", rating_slug="true", language="es")
    assert run({"rating": "false"}) == [false]
    assert run({"topic": "crime"}) == [false]
    assert run({"claimant": true.claimant.slug}) == [true]
    assert run({"language": "es"}) == [true]


def test_published_before_includes_the_whole_day(researcher, editor):
    claim = make_published(researcher, editor)
    today = timezone.localdate()
    assert run({"published_before": today.isoformat()}) == [claim]
    assert run({"published_after": (today + datetime.timedelta(days=1)).isoformat()}) == []


def test_modified_since_and_ordering(researcher, editor):
    first = make_published(researcher, editor, text="First")
    second = make_published(researcher, editor, text="Second")
    assert run({"ordering": "published"}) == [first, second]
    assert run({"ordering": "-published"}) == [second, first]
    assert run({"modified_since": second.public_updated_at.isoformat()}) == [second]


def test_unknown_rating_is_a_validation_error():
    f = ClaimFilter({"rating": "nonsense"}, queryset=Claim.objects.public())
    assert not f.is_valid() and "rating" in f.errors


@pytest.mark.parametrize(
    "moment",
    [
        "1403-06-18T23:49:53+21:35",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2023-05-22T10:00:00-05:00",
    ],
)
def test_modified_since_accepts_any_iso_offset_without_crashing(researcher, editor, moment):
    claim = make_published(researcher, editor)
    found = run({"modified_since": moment})
    assert found in ([], [claim])


@pytest.mark.parametrize("tz", ["America/Lima", "Pacific/Kiritimati", "UTC"])
def test_date_filters_at_the_edges_of_the_calendar_bound_nothing_or_everything(
    researcher, editor, settings, tz
):
    # The day after 9999-12-31 does not exist, and midnight of 0001-01-01 east
    # of UTC is before the first moment the database can store.
    settings.TIME_ZONE = tz
    claim = make_published(researcher, editor)
    assert run({"published_before": "9999-12-31"}) == [claim]
    assert run({"published_after": "9999-12-31"}) == []
    assert run({"published_after": "0001-01-01"}) == [claim]
    assert run({"published_before": "0001-01-01"}) == []
    assert run({"modified_since": "9999-12-31T23:59:59-23:00"}) == []
    assert run({"modified_since": "0001-01-01T00:00:00+23:00"}) == [claim]
