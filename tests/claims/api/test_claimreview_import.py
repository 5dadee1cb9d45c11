"""Acceptance 4: importing other fact-checkers' ClaimReview, as publishers
emit it, through the service, the management command and the API."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.claimreview.parse import ImportRejected, ImportTooLarge
from claims.exceptions import NotPermitted
from claims.models import ExternalReview
from claims.services import external_review_link, import_claimreviews
from tests.claims.api.conftest import client_for
from tests.factories import make_draft

pytestmark = pytest.mark.django_db

NUMERIC_1_TO_5 = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker-one.example/checks/border-30",
    "claimReviewed": "Fewer than 30 migrants remain at the border.",
    "datePublished": "2023-05-03",
    "author": [
        {"@type": "Organization", "name": "Checker One", "url": "https://checker-one.example/"},
        {"@type": "Person", "name": "A. Reporter"},
    ],
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly false",
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Minister of the Interior"},
        "datePublished": "2023-04-28",
        "appearance": [
            {"@type": "CreativeWork", "url": "https://news.example/story?utm_source=x"},
            "https://radio.example/interview",
        ],
        "firstAppearance": {"@type": "CreativeWork", "url": "https://news.example/story"},
    },
    "inLanguage": {"@type": "Language", "name": "Spanish", "alternateName": "es"},
}

TEXT_ONLY = {
    "@type": "schema:ClaimReview",
    "url": "https://checker-two.example/verdicts/77",
    "claimReviewed": "The crisis is over.",
    "author": {"@type": "Organization", "name": "Checker Two"},
    "reviewRating": {"@type": "Rating", "alternateName": "Exaggerated"},
}

GOOGLE_FEED = {
    "@context": "http://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@context": "http://schema.org",
            "@type": "DataFeedItem",
            "dateCreated": "2023-05-04T10:00:00Z",
            "item": [
                {
                    "@context": "http://schema.org",
                    "@type": "ClaimReview",
                    "url": "https://checker-three.example/a",
                    "claimReviewed": "Police deployed 2,000 officers.",
                    "datePublished": "2023-05-04T10:00:00Z",
                    "author": {"@type": "Organization", "name": "Checker Three"},
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": "7",
                        "bestRating": "10",
                        "worstRating": "0",
                        "alternateName": "Partly true",
                    },
                    "itemReviewed": {"@type": "Claim", "author": "Police spokesperson"},
                }
            ],
        },
        {
            "@type": "DataFeedItem",
            "item": {
                "@type": "ClaimReview",
                "url": "https://checker-three.example/b",
                "claimReviewed": "Nobody crossed on Sunday.",
                "author": "Checker Three",
                # A scale where 1 is best and 4 is worst.
                "reviewRating": {
                    "ratingValue": 4,
                    "bestRating": 1,
                    "worstRating": 4,
                    "alternateName": "False",
                },
            },
        },
        {
            "@type": "ClaimReview",
            "url": "https://checker-three.example/c",
            "claimReviewed": "The border is closed.",
            "reviewRating": {"ratingValue": "False"},
        },
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    "@type": "ClaimReview",
                    "claimReviewed": "No URL here.",
                    "reviewRating": {"alternateName": "False"},
                }
            ],
        },
        {
            "@type": "DataFeedItem",
            "item": [{"@type": "NewsArticle", "url": "https://checker-three.example/news"}],
        },
    ],
}


def by_url(url):
    return ExternalReview.objects.get(url=url)


def test_numeric_one_to_five_scale_is_normalised():
    report = import_claimreviews(json.dumps(NUMERIC_1_TO_5))
    assert [(i.position, i.outcome) for i in report.imported] == [("", "created")]
    review = by_url("https://checker-one.example/checks/border-30")
    assert review.publisher_name == "Checker One"
    assert review.publisher_url == "https://checker-one.example/"
    assert (review.rating_value, review.worst_rating, review.best_rating) == (2, 1, 5)
    assert review.normalized_rating == 0.25
    assert review.rating_label == "Mostly false"
    assert review.claimant_name == "Minister of the Interior"
    assert str(review.claim_date) == "2023-04-28" and str(review.date_published) == "2023-05-03"
    assert review.appearance_urls == [
        "https://news.example/story",
        "https://radio.example/interview",
    ]
    assert review.language == "es"
    assert review.claim is None  # left for triage
    assert report.problems == [] and report.warnings == []


def test_text_only_rating_is_kept_as_its_label():
    report = import_claimreviews(json.dumps(TEXT_ONLY).encode())
    assert report.count("created") == 1 and report.problems == []
    review = by_url("https://checker-two.example/verdicts/77")
    assert review.rating_label == "Exaggerated"
    assert review.rating_value is None and review.normalized_rating is None
    assert review.claimant_name == "" and review.date_published is None
    assert review.appearance_urls == []


def test_datafeed_with_several_items_imports_valid_ones_and_reports_the_rest():
    report = import_claimreviews(json.dumps(GOOGLE_FEED))
    assert [i.position for i in report.imported] == [
        "/dataFeedElement/0/item/0",
        "/dataFeedElement/1/item",
        "/dataFeedElement/2",
    ]
    assert [(p.position, p.reason) for p in report.problems] == [
        ("/dataFeedElement/3/item/0", "url is missing: a review is identified by its address."),
        ("/dataFeedElement/4/item/0", "This item's @type is NewsArticle, not ClaimReview."),
    ]
    ten_point = by_url("https://checker-three.example/a")
    assert ten_point.normalized_rating == 0.7 and ten_point.claimant_name == "Police spokesperson"
    reversed_scale = by_url("https://checker-three.example/b")
    assert (
        reversed_scale.normalized_rating == 0 and reversed_scale.publisher_name == "Checker Three"
    )
    label_in_value = by_url("https://checker-three.example/c")
    assert label_in_value.rating_label == "False" and label_in_value.rating_value is None
    assert ExternalReview.objects.count() == 3


def test_list_and_graph_documents_are_accepted():
    report = import_claimreviews(json.dumps([NUMERIC_1_TO_5, TEXT_ONLY]))
    assert [i.position for i in report.imported] == ["/0", "/1"]
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, TEXT_ONLY]}
    report = import_claimreviews(json.dumps(graph))
    assert [i.position for i in report.imported] == ["/@graph/1"]
    assert report.problems[0].position == "/@graph/0"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (b'{"@type": "ClaimReview", "url": ', "not_json"),
        (b"\xff\xfe\x00not utf-8", "encoding"),
        (json.dumps({"@type": "NewsArticle"}).encode(), "not_claimreview"),
        (json.dumps("a string").encode(), "not_claimreview"),
        (json.dumps({"@type": "DataFeed", "dataFeedElement": "x"}).encode(), "not_claimreview"),
        (b"[]", "empty"),
    ],
)
def test_malformed_file_is_refused_whole_and_writes_nothing(document, code, unchanged_database):
    with unchanged_database(), pytest.raises(ImportRejected) as error:
        import_claimreviews(document)
    assert error.value.code == code


def test_limits_refuse_the_whole_document(settings, unchanged_database):
    settings.CLAIMREVIEW_IMPORT_MAX_ITEMS = 2
    with unchanged_database(), pytest.raises(ImportRejected) as error:
        import_claimreviews(json.dumps([TEXT_ONLY, TEXT_ONLY, TEXT_ONLY]))
    assert error.value.code == "too_many_items"
    settings.CLAIMREVIEW_IMPORT_MAX_BYTES = 100
    with unchanged_database(), pytest.raises(ImportTooLarge):
        import_claimreviews(json.dumps(NUMERIC_1_TO_5))


def test_reimport_is_idempotent_and_updates_by_canonical_url(unchanged_database):
    document = json.dumps(GOOGLE_FEED)
    import_claimreviews(document)
    with unchanged_database():
        again = import_claimreviews(document)
    assert {i.outcome for i in again.imported} == {"unchanged"}
    assert ExternalReview.objects.count() == 3

    changed = json.loads(json.dumps(NUMERIC_1_TO_5))
    import_claimreviews(json.dumps(changed))
    changed["url"] = "HTTPS://Checker-One.example:443/checks/border-30?utm_campaign=feed#top"
    changed["reviewRating"]["ratingValue"] = 1
    changed["reviewRating"]["alternateName"] = "False"
    report = import_claimreviews(json.dumps(changed))
    assert [i.outcome for i in report.imported] == ["updated"]
    review = by_url("https://checker-one.example/checks/border-30")
    assert (review.rating_label, review.normalized_rating) == ("False", 0.0)
    assert ExternalReview.objects.count() == 4


def test_reimport_keeps_an_editors_link(editor):
    import_claimreviews(json.dumps(TEXT_ONLY))
    claim = make_draft(editor)
    review = by_url(TEXT_ONLY["url"])
    external_review_link(review=review, claim=claim, by=editor)
    changed = {**TEXT_ONLY, "reviewRating": {"alternateName": "Misleading"}}
    import_claimreviews(json.dumps(changed))
    review.refresh_from_db()
    assert review.claim == claim and review.linked_by == editor
    assert review.rating_label == "Misleading"


def test_missing_scale_and_odd_values_are_imported_with_warnings():
    item = {
        "@type": "ClaimReview",
        "url": "https://checker-four.example/x",
        "claimReviewed": "A claim.",
        "datePublished": "3 May 2023",
        "reviewRating": {"ratingValue": 4, "alternateName": "Mostly true"},
    }
    out_of_range = {
        **item,
        "url": "https://checker-four.example/y",
        "reviewRating": {
            "ratingValue": 9,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "True",
        },
    }
    report = import_claimreviews(json.dumps([item, out_of_range]))
    assert report.count("created") == 2
    first = by_url("https://checker-four.example/x")
    assert (first.best_rating, first.worst_rating, first.normalized_rating) == (5, 1, 0.75)
    assert first.date_published is None
    assert by_url("https://checker-four.example/y").normalized_rating is None
    reasons = " ".join(w.reason for w in report.warnings)
    assert "bestRating is missing" in reasons and "not an ISO 8601 date" in reasons
    assert "outside worstRating" in reasons


def test_item_without_any_rating_is_a_problem():
    item = {"@type": "ClaimReview", "url": "https://x.example/1", "claimReviewed": "A claim."}
    report = import_claimreviews(json.dumps([item, TEXT_ONLY]))
    assert report.count("created") == 1
    assert report.problems[0].position == "/0"
    assert "reviewRating" in report.problems[0].reason


def test_importer_needs_the_permission(researcher, editor, unchanged_database):
    with unchanged_database(), pytest.raises(NotPermitted):
        import_claimreviews(json.dumps(TEXT_ONLY), by=researcher)
    report = import_claimreviews(json.dumps(TEXT_ONLY), by=editor)
    assert report.imported[0].review.imported_by == editor


def test_only_editors_link_reviews(researcher, editor):
    import_claimreviews(json.dumps(TEXT_ONLY))
    review = by_url(TEXT_ONLY["url"])
    with pytest.raises(NotPermitted):
        external_review_link(review=review, claim=make_draft(researcher), by=researcher)


# --- The management command ------------------------------------------------------------


def test_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([NUMERIC_1_TO_5, TEXT_ONLY]))
    call_command("import_claimreview", str(path))
    assert "2 created, 0 updated, 0 unchanged, 0 not imported." in capsys.readouterr().out
    call_command("import_claimreview", str(path))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_command_reports_problems_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(GOOGLE_FEED))
    with pytest.raises(CommandError) as error:
        call_command("import_claimreview", str(path))
    assert error.value.returncode == 1
    err = capsys.readouterr().err
    assert "not imported /dataFeedElement/3/item/0: url is missing" in err
    assert ExternalReview.objects.count() == 3


def test_command_refuses_malformed_and_oversized_files(tmp_path, settings, unchanged_database):
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with unchanged_database(), pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_claimreview", str(broken))
    big = tmp_path / "big.json"
    big.write_text(json.dumps(GOOGLE_FEED))
    settings.CLAIMREVIEW_IMPORT_MAX_BYTES = 50
    with unchanged_database(), pytest.raises(CommandError, match="limit is 50 bytes"):
        call_command("import_claimreview", str(big))


# --- The API -----------------------------------------------------------------------------


def test_editors_import_through_the_api(as_editor, editor):
    response = as_editor.post("/api/v1/imports/claimreview/", GOOGLE_FEED, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [i["outcome"] for i in body["imported"]] == ["created"] * 3
    assert body["problems"][0] == {
        "position": "/dataFeedElement/3/item/0",
        "reason": "url is missing: a review is identified by its address.",
    }
    assert ExternalReview.objects.filter(imported_by=editor).count() == 3
    listed = as_editor.get("/api/v1/external-reviews/", {"linked": "false"}).json()
    assert listed["count"] == 3


def test_json_ld_content_type_is_accepted(as_editor):
    response = as_editor.generic(
        "POST",
        "/api/v1/imports/claimreview/",
        json.dumps(TEXT_ONLY),
        content_type="application/ld+json",
    )
    assert response.status_code == 200


def test_api_import_refusals_write_nothing(
    anon, as_researcher, as_editor, settings, unchanged_database
):
    url = "/api/v1/imports/claimreview/"
    with unchanged_database():
        assert anon.post(url, TEXT_ONLY, format="json").status_code == 401
        assert as_researcher.post(url, TEXT_ONLY, format="json").status_code == 403
        broken = as_editor.generic("POST", url, b"{", content_type="application/json")
        assert broken.status_code == 400 and broken.json()["code"] == "not_json"
        empty = as_editor.generic("POST", url, b"", content_type="application/json")
        assert empty.status_code == 400 and empty.json()["code"] == "empty"
        settings.CLAIMREVIEW_IMPORT_MAX_BYTES = 100
        too_large = as_editor.post(url, GOOGLE_FEED, format="json")
        assert too_large.status_code == 413 and too_large.json()["code"] == "too_large"
        settings.CLAIMREVIEW_IMPORT_MAX_BYTES = 10**6
        settings.CLAIMREVIEW_IMPORT_MAX_ITEMS = 2
        too_many = as_editor.post(url, GOOGLE_FEED, format="json")
        assert too_many.status_code == 400 and too_many.json()["code"] == "too_many_items"


def test_external_reviews_are_for_the_newsroom(researcher, outsider):
    import_claimreviews(json.dumps(TEXT_ONLY))
    assert client_for(researcher).get("/api/v1/external-reviews/").json()["count"] == 1
    assert client_for(outsider).get("/api/v1/external-reviews/").status_code == 403


def test_item_with_a_nul_character_is_a_problem_not_a_crash():
    bad = {**TEXT_ONLY, "url": "https://checker-two.example/nul", "claimReviewed": "A\u0000B"}
    report = import_claimreviews(json.dumps([bad, TEXT_ONLY]))
    assert report.count("created") == 1
    assert report.problems[0].position == "/0" and "NUL" in report.problems[0].reason


# --- Hostile documents -------------------------------------------------------------------

HOSTILE_DOCUMENTS = {
    "recursion": "[" * 100_000 + "]" * 100_000,
    "too-deep": json.dumps([TEXT_ONLY])[:-1] + ", " + "[" * 200 + "]" * 200 + "]",
    "int-limit": '[{"@type": "ClaimReview", "reviewRating": {"ratingValue": ' + "9" * 5000 + "}}]",
    "long-int": '[{"@type": "ClaimReview", "reviewRating": {"ratingValue": ' + "9" * 400 + "}}]",
    "overflowing-float": '[{"@type": "ClaimReview", "reviewRating": {"ratingValue": 1e999}}]',
}


@pytest.mark.parametrize("document", HOSTILE_DOCUMENTS.values(), ids=HOSTILE_DOCUMENTS.keys())
def test_hostile_document_is_refused_whole_everywhere(
    document, editor, tmp_path, unchanged_database
):
    with unchanged_database():
        with pytest.raises(ImportRejected) as error:
            import_claimreviews(document)
        assert error.value.code == "not_json"
        response = client_for(editor).post(
            "/api/v1/imports/claimreview/", document, content_type="application/json"
        )
        assert response.status_code == 400, response.content[:300]
        path = tmp_path / "hostile.json"
        path.write_text(document)
        with pytest.raises(CommandError, match="Nothing imported"):
            call_command("import_claimreview", str(path))


def test_items_with_control_characters_or_lone_surrogates_are_stored_clean(editor):
    # A valid item then one whose text no database can store as sent: before,
    # the second answered 500 after the first was written.
    surrogate = {**TEXT_ONLY, "url": "https://checker-two.example/s", "claimReviewed": "A\ud800B"}
    control = {**TEXT_ONLY, "url": "https://checker-two.example/c", "claimReviewed": "Bell\x07"}
    body = json.dumps([NUMERIC_1_TO_5, surrogate, control])
    response = client_for(editor).post(
        "/api/v1/imports/claimreview/", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content[:300]
    assert [i["position"] for i in response.json()["imported"]] == ["/0", "/1", "/2"]
    stored = dict(ExternalReview.objects.values_list("url", "claim_reviewed"))
    assert stored["https://checker-two.example/s"] == "AB"
    assert stored["https://checker-two.example/c"] == "Bell"
    assert len(stored) == 3


def test_command_says_why_it_cannot_read_a_file(tmp_path):
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("[]")
    unreadable.chmod(0)
    with pytest.raises(CommandError, match="cannot be read|Nothing imported"):
        call_command("import_claimreview", str(unreadable))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_claimreview", str(tmp_path))
