"""Fuzz every filter of every list: reader pages, feeds and the API, for
readers and for newsroom staff. Whatever the query string holds (dates at the
ends of the calendar, numbers past any column, page numbers and sizes,
slugs, any Unicode), the answer is never a 500.

Bounded and cheap: a few dozen examples per list; CI replays a fixed
sequence (VERAZ_HYPOTHESIS_PROFILE=ci, tests/conftest.py)."""

import pytest
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.filters import ClaimFilter
from tests.claims.api.conftest import client_for
from tests.claims.site.builders import publish_claim
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

FUZZ = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

EDGE_DATES = ["0001-01-01", "9999-12-31", "0000-01-01", "10000-01-01", "2023-02-29", "2024-02-29"]
OFFSETS = ["", "Z", "+00:00", "-23:59", "+23:59", "+99:00", "-12:00", "+14:00"]
EDGE_INTEGERS = [
    str(n) for n in (0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30, -(10**30))
] + ["9" * 5000]

dates = st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(lambda d: d.isoformat()))
moments = st.builds(
    lambda d, o: f"{d}T00:00:00{o}",
    st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(lambda d: d.isoformat())),
    st.sampled_from(OFFSETS),
)
integers = st.one_of(
    st.sampled_from(EDGE_INTEGERS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
slugs = st.one_of(
    st.sampled_from(["false", "half-true", "border", "es", "en", "-published", "modified"]),
    st.from_regex(r"[-a-z0-9_]{0,60}", fullmatch=True),
)
unicode = st.text(max_size=60)
anything = st.one_of(dates, moments, integers, slugs, unicode, st.just(""))

# Each parameter gets values of its own type most of the time, anything else
# otherwise: a date filter sees the ends of the calendar, a page number the
# ends of every integer column.
TYPED = {
    "published_after": dates,
    "published_before": dates,
    "modified_since": moments,
    "page": integers,
    "page_size": integers,
    "limit": integers,
    "exclude": integers,
    "claim": integers,
    "q": unicode,
    "text": unicode,
}
CLAIM_FILTERS = [*ClaimFilter.base_filters, "page"]
PAGED = ["page"]
API_PAGED = ["page", "page_size"]


EDGE_MOMENTS = [f"{d}T00:00:00{o}" for d in EDGE_DATES[:2] for o in ("-23:59", "+23:59")]
EDGE_VALUES = {dates: EDGE_DATES, moments: EDGE_MOMENTS, integers: EDGE_INTEGERS}


def with_edges(name, test):
    """`test` tried first on every extreme value of the parameter's type, then
    on what hypothesis draws."""
    for value in EDGE_VALUES.get(TYPED.get(name), []):
        test = example(values=[value])(test)
    return test


def typed_values(name):
    typed = TYPED.get(name, slugs)
    return st.lists(st.one_of(typed, typed, typed, anything), min_size=1, max_size=2)


def query(names):
    """A query string of one or two of `names` (or an unknown one), each
    possibly repeated. Few at a time: one invalid value refuses the whole
    form, and the filters behind it would never run."""
    return st.lists(st.sampled_from([*names, "unknown"]), min_size=1, max_size=2).flatmap(
        lambda chosen: st.fixed_dictionaries({name: typed_values(name) for name in chosen})
    )


@pytest.fixture
def newsroom(researcher, editor):
    topic = TopicFactory(slug="border")
    claim = publish_claim(researcher, editor, topics=[topic])
    return {"claim": claim, "claimant": claim.claimant.slug, "topic": "border"}


@pytest.mark.parametrize("name", list(ClaimFilter.base_filters))
def test_each_claim_filter_takes_any_value_without_an_error(newsroom, editor, name):
    # The one FilterSet behind the reader list, the API list and the
    # ClaimReview feed, run directly (cheap enough for many values per
    # filter), as staff: every filter applies to them, status included.
    from django.test import RequestFactory

    from claims.selectors import public_claims

    request = RequestFactory().get("/")
    request.user = editor

    @settings(max_examples=12, **FUZZ)
    @given(values=typed_values(name))
    def filters_or_refuses(values):
        data = QueryDict(mutable=True)
        data.setlist(name, values)
        filterset = ClaimFilter(data, queryset=public_claims(), request=request)
        if filterset.is_valid():
            list(filterset.qs)

    with_edges(name, filters_or_refuses)()


def _reader_lists(newsroom):
    claimant, topic = newsroom["claimant"], newsroom["topic"]
    source = newsroom["claim"].appearances.first().source.slug
    return [
        ("/claims/", CLAIM_FILTERS, 12),
        ("/", PAGED, 5),
        (f"/claimants/{claimant}/", PAGED, 5),
        (f"/es/topics/{topic}/", PAGED, 5),
        (f"/sources/{source}/", PAGED, 5),
        ("/corrections/", PAGED, 5),
        ("/feeds/fact-checks.rss", CLAIM_FILTERS, 5),
        (f"/es/feeds/topics/{topic}.atom", PAGED, 5),
        ("/sitemap.xml", PAGED, 5),
    ]


def _api_lists(newsroom):
    claim = newsroom["claim"].pk
    return [
        ("/api/v1/claims/", [*CLAIM_FILTERS, "page_size"], 12),
        ("/api/v1/claimreview-feed/", CLAIM_FILTERS, 5),
        ("/api/v1/claimants/", API_PAGED, 5),
        ("/api/v1/topics/", API_PAGED, 5),
        ("/api/v1/sources/", API_PAGED, 5),
        ("/api/v1/ratings/", API_PAGED, 5),
        ("/api/v1/claims/similar/", ["text", "language", "limit", "exclude"], 6),
        ("/api/v1/external-reviews/", ["linked", "claim", *API_PAGED], 6),
        (f"/api/v1/claims/{claim}/appearances/", API_PAGED, 5),
        (f"/api/v1/claims/{claim}/evidence/", API_PAGED, 5),
        (f"/api/v1/claims/{claim}/corrections/", API_PAGED, 5),
    ]


def _fuzz(client, path, names, examples):
    @settings(max_examples=examples, **FUZZ)
    @given(params=query(names))
    def never_500(params):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params)

    # Each parameter's two outermost values first (the filters themselves
    # meet every extreme in test_each_claim_filter_takes_any_value...).
    for name in names:
        for value in EDGE_VALUES.get(TYPED.get(name), [])[:2]:
            never_500 = example(params={name: [value]})(never_500)
    never_500()


@pytest.mark.parametrize("index", range(9))
def test_every_reader_list_and_feed_answers_any_query_without_a_500(newsroom, index):
    path, names, examples = _reader_lists(newsroom)[index]
    _fuzz(Client(raise_request_exception=False), path, names, examples)


@pytest.mark.parametrize("index", range(11))
def test_every_api_list_answers_any_query_without_a_500(newsroom, editor, index):
    # As newsroom staff: they reach every list and every filter (status).
    path, names, examples = _api_lists(newsroom)[index]
    client = client_for(editor)
    client.raise_request_exception = False
    _fuzz(client, path, names, examples)


def test_api_claim_list_answers_any_query_without_a_500_for_readers(newsroom):
    _fuzz(Client(raise_request_exception=False), "/api/v1/claims/", CLAIM_FILTERS, 8)


def test_slugs_in_feed_and_page_addresses_never_answer_500(newsroom):
    client = Client(raise_request_exception=False)

    @settings(max_examples=8, **FUZZ)
    @given(slug=st.one_of(slugs, unicode.filter(lambda s: "/" not in s)))
    def never_500(slug):
        for pattern in ("/claims/{}/", "/topics/{}/", "/feeds/claimants/{}.atom"):
            response = client.get(pattern.format(slug))
            assert response.status_code < 500, pattern.format(slug)

    never_500()
