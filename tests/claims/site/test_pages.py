"""The reader pages: what each shows, how it is built, and what it refuses."""

import re

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse, set_script_prefix
from django.utils import translation

from claims import services
from claims.models import Claim, Rating
from tests.claims.site.builders import merge_into, publish_claim
from tests.claims.site.reading import json_ld, page, text_of
from tests.factories import (
    ClaimantFactory,
    SourceFactory,
    TopicFactory,
    make_draft,
    make_in_review,
    make_published,
    rating,
)

pytestmark = pytest.mark.django_db

DEMO_PAGES = [
    "/",
    "/claims/",
    "/claims/?rating=false",
    "/claims/migrant-crisis-overcome/",
    "/claims/peru-deployed-180-police-border/",
    "/claims/migrants-tried-to-force-border-crossing/",
    "/claimants/ignacio-higueras/",
    "/topics/migration/",
    "/sources/biobiochile-border-patrols/",
    "/corrections/",
    "/methodology/",
    "/about/",
    "/contact/",
]


def spanish(url: str) -> str:
    return "/es" + url


@pytest.mark.parametrize("url", DEMO_PAGES + [spanish(u) for u in DEMO_PAGES])
def test_every_reader_page_is_accessible_semantic_html(demo, client, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = page(response)
    assert soup.html["lang"] == ("es" if url.startswith("/es/") else "en")
    # Landmarks, a skip link to the main content, one h1 and no skipped levels.
    assert soup.find("header") and soup.find("footer") and soup.find("nav")
    main = soup.find("main", id="main")
    assert main is not None
    assert soup.find("a", class_="skip-link")["href"] == "#main"
    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # Every form control has a label.
    for control in soup.find_all(["input", "select", "textarea"]):
        assert soup.find("label", attrs={"for": control["id"]}), control
    # The Content-Security-Policy allows no inline code or styles.
    assert not soup.find_all(style=True)
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    for script in soup.find_all("script"):
        assert script.get("type") == "application/ld+json", script
    # No external resources: stylesheet and icon come from this site.
    for link in soup.find_all("link", rel=["stylesheet", "icon"]):
        assert link["href"].startswith("/static/"), link


def test_home_shows_latest_fact_checks_rating_distribution_and_topics(demo, client):
    soup = page(client.get("/"))
    latest = soup.find("section", attrs={"aria-labelledby": "latest-title"})
    titles = [text_of(a) for a in latest.select(".claim-row__title a")]
    assert len(titles) == Claim.objects.public().count() == 5
    chart = soup.find("table", class_="rating-chart")
    counts = {
        text_of(row.th): int(text_of(row.find("td", class_="rating-chart__count")))
        for row in chart.tbody.find_all("tr")
    }
    assert counts["Mostly true"] == 2 and counts["False"] == 1 and counts["True"] == 0
    assert sum(counts.values()) == 5
    assert "Migration (5)" in text_of(
        soup.find("section", attrs={"aria-labelledby": "topics-title"})
    )


def test_claim_list_filters_by_rating_in_the_url_without_javascript(demo, client):
    soup = page(client.get("/claims/", {"rating": "mostly-true"}))
    form = soup.find("form", class_="filters")
    assert form["method"] == "get" and form["action"] == "/claims/"
    assert form.find("select", attrs={"name": "rating"}).find("option", selected=True)["value"] == (
        "mostly-true"
    )
    rows = soup.select(".claim-row")
    assert len(rows) == 2
    assert all(text_of(r.select_one(".rating-badge__label")) == "Mostly true" for r in rows)


def test_claim_list_shows_reader_filters_only(demo, client):
    soup = page(client.get("/claims/"))
    names = {c["name"] for c in soup.find("form", class_="filters").find_all(["input", "select"])}
    assert names == {
        "q",
        "rating",
        "claimant",
        "topic",
        "language",
        "published_after",
        "published_before",
        "ordering",
    }
    # The staff-only status filter is not a way in either.
    soup = page(client.get("/claims/", {"status": "draft"}))
    assert len(soup.select(".claim-row")) == Claim.objects.public().count()


def test_claim_list_menus_offer_only_claimants_and_topics_with_public_fact_checks(
    researcher, editor, client
):
    public_topic, secret_topic = TopicFactory(name="Water"), TopicFactory(name="Mining")
    publish_claim(researcher, editor, topics=[public_topic])
    make_draft(researcher, claimant=ClaimantFactory(name="Secret Senator"), topics=[secret_topic])
    soup = page(client.get("/claims/"))
    claimants = [
        text_of(o) for o in soup.find("select", attrs={"name": "claimant"}).find_all("option")
    ]
    topics = [text_of(o) for o in soup.find("select", attrs={"name": "topic"}).find_all("option")]
    assert "Secret Senator" not in claimants and len(claimants) == 2
    assert topics == ["Any topic", "Water"]


def test_claim_list_searches_words_and_paginates_keeping_the_filters(
    researcher, editor, client, settings
):
    settings.READER_PAGE_SIZE = 3
    for n in range(5):
        publish_claim(researcher, editor, text=f"Tariffs rose {n} percent")
    publish_claim(researcher, editor, text="Unrelated claim about water")
    soup = page(client.get("/claims/", {"q": "tariffs"}))
    assert "5 fact-checks" in text_of(soup.find(id="results-title"))
    assert len(soup.select(".claim-row")) == 3
    next_link = soup.find("a", rel="next")["href"]
    assert "q=tariffs" in next_link and "page=2" in next_link
    second = page(client.get("/claims/" + next_link))
    assert len(second.select(".claim-row")) == 2
    assert "Unrelated" not in text_of(second)


def test_claim_list_rejects_bad_filters_with_a_clear_error(demo, client):
    response = client.get("/claims/", {"rating": "nonsense", "published_after": "yesterday"})
    assert response.status_code == 400
    soup = page(response)
    errors = soup.find(class_="form-errors")
    assert errors["role"] == "alert"
    assert "Rating" in text_of(errors) and "Published on or after" in text_of(errors)
    assert not soup.select(".claim-row")
    assert "no-store" not in response.get("Cache-Control", "")


def test_claim_page_shows_claim_verdict_appearances_evidence_and_sub_claims(demo, client):
    soup = page(client.get("/claims/migrant-crisis-overcome/"))
    header = soup.find("header", class_="claim__header")
    assert text_of(header.h1) == "The migrant crisis at the Peru–Chile border has been overcome."
    assert header.find("a", href="/claimants/ignacio-higueras/")
    assert "Published" in text_of(header.find("dl", class_="claim__dates"))
    verdict = soup.find("section", class_="verdict")
    assert text_of(verdict.select_one(".rating-badge__label")) == "Half true"
    assert rating("half-true").definition in text_of(verdict)
    assert "about 30 were still at the border" in text_of(verdict)
    assert "True as of May 22, 2023" in text_of(verdict)
    explanation = soup.find("section", attrs={"aria-labelledby": "explanation-title"})
    assert "Overcome" in text_of(explanation)
    appearances = soup.find("section", attrs={"aria-labelledby": "appearances-title"})
    assert len(appearances.find_all("blockquote")) == 2
    assert appearances.find("a", href="/sources/biobiochile-border-patrols/")
    assert "Gloria de la Fuente" in text_of(appearances)
    evidence = soup.find("section", attrs={"aria-labelledby": "evidence-title"})
    assert [text_of(h) for h in evidence.find_all("h3")] == [
        "Supports the claim",
        "Refutes the claim",
        "Adds context",
    ]
    sub_claims = soup.find("section", attrs={"aria-labelledby": "sub-claims-title"})
    labels = [text_of(b) for b in sub_claims.select(".rating-badge__label")]
    assert sorted(labels) == ["False", "Mostly true"]
    links = {a["href"] for a in soup.find("footer", class_="claim__footer").find_all("a")}
    assert links == {"/methodology/", "/methodology/#ratings", "/corrections/"}


def test_corrected_claim_shows_its_corrections_and_last_update(demo, client):
    claim = Claim.objects.get(slug="peru-deployed-180-police-border")
    soup = page(client.get(claim.get_absolute_url()))
    assert "Last updated" in text_of(soup.find("dl", class_="claim__dates"))
    corrections = soup.find("section", id="corrections")
    assert "Correction" in text_of(corrections.h3)
    assert "contingent of 200 police officers" in text_of(corrections)
    assert text_of(corrections.select_one(".rating-badge__label")) == "Mostly true"
    assert text_of(soup.select_one(".verdict .rating-badge__label")) == "Mostly true"


def test_conflicting_figures_are_set_side_by_side_in_an_accessible_svg(demo, client):
    soup = page(client.get("/claims/peru-deployed-180-police-border/"))
    (chart,) = soup.select("figure.figure-chart")
    svg = chart.find("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id) and svg.find("desc", id=desc_id)
    assert [text_of(t) for t in svg.select(".figure-chart__value")] == [
        "200 police officers",
        "180 police officers",
    ]
    widths = [float(r["width"]) for r in svg.find_all("rect")]
    assert widths[0] > widths[1] > 0
    rows = chart.find("details").find("tbody").find_all("tr")
    assert len(rows) == 2 and "CNN en Español" in text_of(rows[0])

    soup = page(client.get("/claims/migrant-crisis-overcome/"))
    (chart,) = soup.select("figure.figure-chart")
    values = [text_of(t) for t in chart.select(".figure-chart__value")]
    # The claim's own figures and its sub-claims', each once.
    assert values == ["at least 300 people", "up to 250 people", "150 people", "about 30 people"]
    assert "as of April 26, 2023" in text_of(chart.find("desc"))
    assert "date not stated" in text_of(chart.find("desc"))


def test_a_single_figure_is_not_charted(demo, client):
    soup = page(client.get("/claims/no-migrants-remain-stranded/"))
    assert not soup.select("figure.figure-chart")
    assert "about 30 people" in text_of(soup.find(class_="evidence__figure"))


def test_retracted_claim_keeps_its_url_with_the_notice_and_never_the_verdict(demo, client):
    claim = Claim.objects.get(slug="migrants-tried-to-force-border-crossing")
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    soup = page(response)
    notice = soup.find("section", class_="retraction")
    assert "This fact-check was retracted" in text_of(notice)
    assert "rested on one broadcast" in text_of(notice)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert json_ld(soup) == []
    assert not soup.select(".rating-badge")
    body = text_of(soup)
    verdict = claim.published_verdict
    assert verdict.conclusion not in body and "Mostly true" not in body
    assert "TV Perú's images" not in body
    assert not soup.find("section", attrs={"aria-labelledby": "evidence-title"})


def test_merged_duplicate_redirects_permanently_to_the_claim_it_joined(researcher, editor, client):
    target = publish_claim(researcher, editor, text="Unemployment doubled")
    duplicate = merge_into(publish_claim(researcher, editor, text="Joblessness doubled"), target)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == target.get_absolute_url()
    with translation.override("es"):
        response = client.get(duplicate.get_absolute_url())
        assert response["Location"] == target.get_absolute_url()


def test_merged_duplicate_never_leads_to_a_claim_without_a_public_page(researcher, editor, client):
    draft_target = make_draft(researcher, text="Secret draft wording")
    # The workflow refuses to merge a published claim into a draft; the page
    # must not leak even if the data says so anyway (defence in depth).
    once_public = publish_claim(researcher, editor, text="Was public")
    Claim.objects.filter(pk=once_public.pk).update(merged_into=draft_target)
    never_public = merge_into(make_draft(researcher, text="Never public"), draft_target)
    for duplicate in (once_public, never_public):
        response = client.get(duplicate.get_absolute_url())
        assert response.status_code == 404
        assert b"secret-draft-wording" not in response.content


def test_drafts_and_claims_in_review_have_no_page(researcher, client):
    for claim in (make_draft(researcher, text="A draft"), make_in_review(researcher, text="B")):
        assert client.get(claim.get_absolute_url()).status_code == 404
        assert client.get(spanish(claim.get_absolute_url())).status_code == 404


def test_claim_page_links_its_parent_only_when_the_parent_is_public(researcher, editor, client):
    parent = make_draft(researcher, text="Vague parent claim")
    child = publish_claim(researcher, editor, text="Precise child claim", parent=parent)
    assert "Vague parent claim" not in text_of(page(client.get(child.get_absolute_url())))
    public_parent = publish_claim(researcher, editor, text="Public parent claim")
    child = publish_claim(researcher, editor, text="Second child", parent=public_parent)
    soup = page(client.get(child.get_absolute_url()))
    assert soup.find("p", class_="claim__parent").find("a")["href"] == (
        public_parent.get_absolute_url()
    )


def test_explanations_and_notes_are_sanitised_markdown(researcher, editor, client):
    claim = publish_claim(
        researcher,
        editor,
        explanation="**Bold** and [a link](https://example.org) <script>alert(1)</script>"
        ' <img src=x onerror="alert(2)"> [bad](javascript:alert(3))',
    )
    soup = page(client.get(claim.get_absolute_url()))
    explanation = soup.find("section", attrs={"aria-labelledby": "explanation-title"})
    assert explanation.find("strong").string == "Bold"
    assert explanation.find("a", href="https://example.org")
    assert not explanation.find("script") and not explanation.find("img")
    assert not explanation.find("a", href=re.compile("^javascript"))


def test_title_description_and_open_graph_describe_claim_and_verdict(demo, client):
    soup = page(client.get("/claims/no-migrants-remain-stranded/"))
    claim_text = "No migrants remain stranded at the Peru–Chile border."
    assert soup.title.string == f"False: “{claim_text}” | Veraz"
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Rated False. Peru's own Foreign Ministry")

    def og(name):
        return soup.find("meta", property=f"og:{name}")["content"]

    assert og("title") == f"False: “{claim_text}”"
    assert og("description") == description
    assert og("type") == "article"
    assert og("url") == "http://127.0.0.1:8000/claims/no-migrants-remain-stranded/"
    assert soup.find("link", rel="canonical")["href"] == og("url")

    soup = page(client.get("/es/claims/no-migrants-remain-stranded/"))
    assert soup.title.string == f"Falso: «{claim_text}» | Veraz"
    assert soup.find("meta", property="og:locale")["content"] == "es_PE"


def test_claimant_page_lists_their_fact_checks_and_a_chart_of_ratings(demo, client):
    soup = page(client.get("/claimants/ignacio-higueras/"))
    assert text_of(soup.h1) == "Ignacio Higueras"
    assert len(soup.select(".claim-row")) == 3
    chart = soup.find("table", class_="rating-chart")
    rows = {text_of(r.th): r for r in chart.tbody.find_all("tr")}
    assert text_of(rows["Half true"].td) == "1" and text_of(rows["False"].td) == "1"
    assert rows["False"].th.a["href"] == "/claims/?rating=false&claimant=ignacio-higueras"
    assert "3 published fact-checks" in text_of(chart.caption)


def test_claimants_topics_and_sources_known_only_from_drafts_have_no_page(
    researcher, editor, client
):
    secret_claimant, secret_topic, secret_source = (
        ClaimantFactory(),
        TopicFactory(),
        SourceFactory(),
    )
    claim = make_draft(researcher, claimant=secret_claimant, topics=[secret_topic])
    from claims import services

    services.appearance_create(claim=claim, by=researcher, source=secret_source, quote="q")
    for obj in (secret_claimant, secret_topic, secret_source):
        assert client.get(obj.get_absolute_url()).status_code == 404


def test_topic_page_lists_its_fact_checks(demo, client):
    soup = page(client.get("/es/topics/crime/"))
    assert text_of(soup.h1) == "Delincuencia"
    assert [text_of(a) for a in soup.select(".claim-row__title a")] == [
        Claim.objects.get(slug="migrants-committing-crimes-peru").text
    ]


def test_source_page_shows_its_text_and_the_public_fact_checks_citing_it(demo, client):
    soup = page(client.get("/sources/cnn-espanol-forced-crossing/"))
    citing = {a["href"] for a in soup.select(".claim-row__title a")}
    expected = {
        c.get_absolute_url()
        for c in Claim.objects.public().filter(evidence__source__slug="cnn-espanol-forced-crossing")
    } | {
        c.get_absolute_url()
        for c in Claim.objects.public().filter(
            appearances__source__slug="cnn-espanol-forced-crossing"
        )
    }
    assert citing == expected and len(citing) >= 3
    assert "/claims/migrants-tried-to-force-border-crossing/" not in citing
    assert "peaks of up to 250 people were recorded" in text_of(soup.find(class_="snapshot"))
    # Each citing fact-check says what it takes from this source.
    row = next(r for r in soup.select(".claim-row") if "stranded-migrants-fell" in r.h3.a["href"])
    citations = [text_of(li) for li in row.select(".claim-row__citations li")]
    assert "Supports the claim: peaks of up to 250 people were recorded" in citations
    assert all("Biobiochile" not in c and "about 30 foreigners" not in c for c in citations)


def test_corrections_log_lists_published_corrections_newest_first(
    researcher, editor, editor2, client
):
    claims = [publish_claim(researcher, editor, text=f"Claim {n}") for n in range(2)]
    for n, claim in enumerate(claims):
        correction = services.correction_propose(
            claim=claim, by=editor, kind="update", note=f"Update number {n}"
        )
        services.correction_publish(correction=correction, by=editor2)
    pending = publish_claim(researcher, editor, text="Claim with pending note")
    services.correction_propose(claim=pending, by=editor, kind="correction", note="Not yet")
    soup = page(client.get("/corrections/"))
    notes = [text_of(li.find(class_="prose")) for li in soup.select("ol.corrections > li")]
    assert notes == ["Update number 1", "Update number 0"]


def test_methodology_is_built_from_the_rating_scale_in_the_reader_language(demo, client):
    Rating.objects.filter(slug="misleading").update(definition_es="Definición editada.")
    soup = page(client.get("/es/methodology/"))
    scale = soup.find("section", id="ratings")
    levels = [text_of(d) for d in scale.select(".rating-badge__label")]
    expected = [r.label_es for r in Rating.objects.filter(scale__is_default=True).order_by("order")]
    assert levels == expected
    assert "Definición editada." in text_of(scale)
    assert "valor 7" in text_of(scale) and "de 1 (la peor) a 7 (la mejor)" in text_of(scale)
    assert soup.find("section", id="two-person-rule")
    assert "ClaimReview" in text_of(soup.find("section", id="markup"))
    assert "No verificable" in text_of(soup.find("section", id="markup"))
    assert "retract" in text_of(page(client.get("/methodology/")).find(id="corrections"))


def test_about_and_contact_are_flat_pages_the_administrator_edits(db, client, superuser):
    # Edited and deleted through the services, as the admin does: they move the
    # publication version that keys the shared page cache.
    about = services.site_page_save(
        page=FlatPage.objects.get(url="/about/"),
        by=superuser,
        data={"content": "We are **Veraz Lima**. <script>alert(1)</script>"},
    )
    soup = page(client.get("/about/"))
    assert text_of(soup.h1) == about.title
    assert soup.find("main").find("strong").string == "Veraz Lima"
    assert not soup.find("main").find("script")
    assert text_of(page(client.get("/es/contact/")).h1) == "Contacto"
    # A language without its own page falls back to the default language's.
    services.site_page_delete(page=FlatPage.objects.get(url="/es/about/"), by=superuser)
    assert text_of(page(client.get("/es/about/")).h1) == about.title
    footer = page(client.get("/")).find("footer", class_="site-footer")
    assert footer.find("a", href="/about/") and footer.find("a", href="/contact/")
    for flat_page in FlatPage.objects.all():
        services.site_page_delete(page=flat_page, by=superuser)
    assert client.get("/about/").status_code == 404


def test_language_switcher_links_to_the_same_page_and_sets_no_cookie(demo, client):
    response = client.get("/claims/migrant-crisis-overcome/?x=1")
    soup = page(response)
    switcher = soup.find("nav", class_="language-nav")
    assert not soup.find("form", method=re.compile("post", re.I))
    links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
    assert links == {
        "en": "/claims/migrant-crisis-overcome/?x=1",
        "es": "/es/claims/migrant-crisis-overcome/?x=1",
    }
    alternates = {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates["es"] == "http://127.0.0.1:8000/es/claims/migrant-crisis-overcome/?x=1"
    assert alternates["x-default"] == alternates["en"]
    assert not response.cookies


def test_language_switcher_under_a_script_prefix(demo, client):
    """Served below a path (SCRIPT_NAME, as behind a proxy that mounts the site
    at /veraz), the switcher links to this page in each language, not to the
    home pages (before, the prefixed path failed to resolve)."""
    set_script_prefix("/veraz/")  # as the WSGI handler does from SCRIPT_NAME
    try:
        response = client.get("/claims/migrant-crisis-overcome/", SCRIPT_NAME="/veraz")
    finally:
        set_script_prefix("/")
    switcher = page(response).find("nav", class_="language-nav")
    links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}
    assert links == {
        "en": "/veraz/claims/migrant-crisis-overcome/",
        "es": "/veraz/es/claims/migrant-crisis-overcome/",
    }


def test_unknown_addresses_get_a_translated_404(client):
    response = client.get("/es/claims/no-such-claim/")
    assert response.status_code == 404
    soup = page(response)
    assert text_of(soup.h1) == "Página no encontrada"
    assert soup.html["lang"] == "es"


def test_reader_pages_answer_only_safe_methods(demo, client):
    assert client.post("/claims/").status_code == 405
    assert client.post(reverse("claims:detail", args=["migrant-crisis-overcome"])).status_code == (
        405
    )
    assert client.head("/claims/").status_code == 200


def test_make_published_claims_show_their_rating_as_text_everywhere(researcher, editor, client):
    make_published(researcher, editor, rating_slug="mostly-false")
    for url in ("/", "/claims/"):
        badges = page(client.get(url)).select(".claim-row .rating-badge")
        assert badges and all(
            text_of(b.select_one(".rating-badge__label")) == "Mostly false" for b in badges
        )


def test_a_search_without_matches_says_nothing_matched_and_what_to_try(demo, client):
    # An empty page of results is falsy: it used to read as invalid filters.
    from tests.claims.site.reading import page, text_of

    response = client.get("/claims/", {"q": "zzzqqq-no-such-word"})
    assert response.status_code == 200
    results = text_of(page(response).find("section"))
    assert "0 fact-checks" in results
    assert "Nothing matched this search. Try fewer or other words" in results
    assert "until the filters are corrected" not in results
