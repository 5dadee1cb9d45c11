"""No route shows non-public content to an anonymous client.

Every URL pattern is enumerated from the resolver, so a route added later is
covered automatically: its parameters are filled with the ids and slugs of
non-public content (drafts, claims in review, merged duplicates, a retracted
claim's verdict, an unpublished correction, evidence not yet published), and
its response must not contain any of their secret markers. A route whose
parameters the test cannot fill fails the test, rather than escaping it.
`test_the_leak_check_catches_a_route_that_ignores_visibility` proves the check
itself can fail.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

from claims import services
from claims.models import Claim, TipGroup
from claims.services import tips as tip_services
from tests.factories import (
    SourceFactory,
    TopicFactory,
    make_in_review,
    make_published,
    make_ready_claim,
)

pytestmark = pytest.mark.django_db

MARK = "zqxleak"  # appears only in non-public content


@dataclass
class Secrets:
    """Non-public content, and the values that address it."""

    markers: list[str] = field(default_factory=list)
    values: dict[str, set[str]] = field(default_factory=dict)
    # Slugs of things only unpublished work mentions: asking for one must look
    # exactly like asking for something that does not exist.
    hidden_slugs: set[str] = field(default_factory=set)

    def add(self, name: str, *values) -> None:
        self.values.setdefault(name, set()).update(str(v) for v in values if v is not None)


def plant_secrets(researcher, editor, editor2) -> Secrets:
    secrets = Secrets()

    def secret(label):
        marker = f"{MARK}{label}"
        secrets.markers.append(marker)
        return marker

    # Slugs are given, not derived from the text: a client that asks for a URL
    # knows the URL, so a page echoing it is no leak; the text must not show.
    draft = make_ready_claim(researcher, text=f"Draft {secret('draft')} claim", slug="draft")
    in_review = make_in_review(
        researcher, text=f"Review {secret('review')} claim", slug="in-review"
    )
    canonical = make_published(researcher, editor, text="Public canonical claim")
    merged = make_ready_claim(researcher, text=f"Merged {secret('merged')} claim", slug="merged")
    Claim.objects.filter(pk=merged.pk).update(merged_into=canonical)

    retracted = make_ready_claim(researcher, text="Retracted claim, notice is public")
    retracted.verdicts.update(conclusion=f"Old verdict {secret('retractedverdict')}")
    retracted.evidence.update(note=f"Old evidence {secret('retractedevidence')}")
    retracted = services.claim_submit(claim=retracted, by=researcher)
    retracted = services.claim_publish(claim=retracted, by=editor)
    retracted = services.claim_retract(claim=retracted, by=editor, reason="Public notice")

    published = make_published(researcher, editor, text="Published claim with pending work")
    pending_item = services.evidence_create(
        claim=published,
        by=researcher,
        source=SourceFactory(),
        excerpt=f"Pending {secret('pendingevidence')}",
        stance="context",
    )
    correction = services.correction_propose(
        claim=published,
        by=editor,
        kind="correction",
        note=f"Unpublished note {secret('correctionnote')}",
        conclusion=f"Unpublished conclusion {secret('correctionverdict')}",
    )

    # The claimants, topics and sources only unpublished claims mention carry
    # markers in their names, and must stay unknown to readers.
    topic = TopicFactory(slug="secret-topic", name=f"Topic {secret('topic')}")
    for n, claim in enumerate([draft, in_review, merged]):
        claim.topics.add(topic)
        claimant = claim.claimant
        claimant.name = f"Claimant {secret(f'claimant{n}')}"
        claimant.save()
        secrets.hidden_slugs.add(claimant.slug)
        for source in {item.source for item in [*claim.evidence.all(), *claim.appearances.all()]}:
            source.title = f"Source {secret(f'source{source.pk}')}"
            if not source.snapshot:  # a first text version, which version pages could leak
                source.snapshot = f"Text {secret(f'text{source.pk}')}"
            source.save()
            secrets.hidden_slugs.add(source.slug)
    secrets.hidden_slugs |= {topic.slug, draft.slug, in_review.slug, merged.slug}

    hidden_claims = [draft, in_review, merged, retracted]
    for claim in hidden_claims + [published]:
        secrets.add("slug", claim.slug)
        secrets.add("pk", claim.pk)
        secrets.add("id", claim.pk)
        secrets.add("claim_pk", claim.pk)
        secrets.add("claim_id", claim.pk)
        secrets.add("object_id", claim.pk)
        for item in [*claim.evidence.all(), *claim.appearances.all(), *claim.verdicts.all()]:
            secrets.add("pk", item.pk)
            secrets.add("id", item.pk)
        if claim.claimant:
            secrets.add("slug", claim.claimant.slug)
        for topic in claim.topics.all():
            secrets.add("slug", topic.slug)
        for source in {e.source for e in claim.evidence.all()}:
            secrets.add("slug", source.slug)
            secrets.add("pk", source.pk)
    secrets.add("slug", pending_item.source.slug)
    from django.contrib.contenttypes.models import ContentType

    secrets.add("content_type_id", ContentType.objects.get_for_model(Claim).pk)
    # A reader's tip once answered with claims that are not public (now): its
    # links (answer, unsubscribe, delete) must not show them.
    tip = tip_services.tip_submit(text="Is the border crisis over?", email="r@example.org").tip
    tip.answers.add(draft, in_review, merged, retracted)
    TipGroup.objects.filter(pk=tip.group_id).update(claim=draft)
    secrets.add("token", *(tip_services.tip_link_token(tip, p) for p in tip_services.LINK_PURPOSES))
    secrets.add("token", "forged-token")
    secrets.add("pk", correction.pk, correction.verdict_id)
    secrets.add("id", correction.pk, correction.verdict_id)
    return secrets


# --- Enumerating routes ------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
# Query strings every route is also tried with: staff-only filters, search,
# formats and paging must not widen what an anonymous client sees.
QUERY_STRINGS = [
    "",
    f"?q={MARK}",
    "?status=draft&status=in_review",
    "?page_size=1000&page=1",
    "?format=json",
    "?ordering=-modified",
]


def _route_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, LocalePrefixPattern):
        return ""  # languages are expanded separately
    if isinstance(pattern, RegexPattern):
        return str(pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")
    return str(pattern)


def enumerate_routes(urlpatterns, prefix="", language_prefixed=False):
    """(route template, view name, whether it sits under i18n_patterns)."""
    for entry in urlpatterns:
        if isinstance(entry, URLResolver):
            is_locale = isinstance(entry.pattern, LocalePrefixPattern)
            yield from enumerate_routes(
                entry.url_patterns,
                prefix + _route_text(entry.pattern),
                language_prefixed or is_locale,
            )
        elif isinstance(entry, URLPattern):
            yield (
                prefix + _route_text(entry.pattern),
                entry.name or entry.lookup_str,
                (language_prefixed),
            )


def concrete_urls(template: str, secrets: Secrets, *, first_only: bool = False) -> list[str]:
    """Every way of filling the route's parameters with secret-addressing values."""
    template = REGEX_PARAM.sub(lambda m: f"<{m['name']}>", template)
    template = template.replace("([^/]+)", "<pk>").replace("(.*)", "<url>")
    template = template.replace("\\.", ".").replace("\\/", "/")
    for regex_bit in ("(?:", "?", "(", ")", "\\", "[", "]", "+", "*"):
        if regex_bit in template:
            template = _fill_regex_leftovers(template)
            break
    names = [m["name"] for m in PARAM.finditer(template)]
    choices = []
    for name in names:
        values = secrets.values.get(name) or _fallback_values(name)
        if not values:
            raise LookupError(f"no values for parameter <{name}> in route {template!r}")
        choices.append(sorted(values)[:1] if first_only else sorted(values))
    urls = []
    for combination in itertools.product(*choices):
        url = template
        for value in combination:
            url = PARAM.sub(value, url, count=1)
        urls.append("/" + url.lstrip("/"))
    return urls


def _fill_regex_leftovers(template: str) -> str:
    # DRF's format suffix routes: "claims\.(?P<format>[a-z0-9]+)/?" and the like.
    template = re.sub(r"\(\?P<format>[^)]*\)", "<format>", template)
    return template.replace("/?", "/").replace("?", "")


def _fallback_values(name: str) -> set[str]:
    return {
        "format": {"json", "api"},
        "language": {"en", "es"},
        "section": {"claims", "claimants", "topics", "sources"},
        "url": {"about/", "contact/"},
        "app_label": {"claims", "sources"},
        "action": {"submit", "request_changes", "publish", "retract"},
        "decision": {"publish", "discard"},
        # A source's text versions and captured files (sources/urls.py); the
        # file kinds share one view, so one kind keeps the walk short.
        "number": {"1"},
        "kind": {"warc"},
    }.get(name, set())


MISSING_SLUG = "zz-nothing-has-this-slug"
SLUG_FILTERS = ("claimant", "topic")


def status_oracles(client, template, name, secrets, prefixed) -> list[str]:
    """A hidden thing's address must answer exactly as a missing thing's does
    (same status), in a path parameter or in a filter."""
    problems = []
    template = REGEX_PARAM.sub(lambda m: f"<{m['name']}>", template)
    params = [m["name"] for m in PARAM.finditer(template)]
    prefix = ["", "/es"] if prefixed else [""]

    def status(url):
        return client.get(url).status_code

    if params == ["slug"]:
        for slug, lang in itertools.product(sorted(secrets.hidden_slugs), prefix):
            hidden = lang + "/" + PARAM.sub(slug, template).lstrip("/")
            missing = lang + "/" + PARAM.sub(MISSING_SLUG, template).lstrip("/")
            if status(hidden) != status(missing):
                problems.append(f"{name}: {hidden} answers unlike a missing slug")
    if not params:
        base = "/" + template.lstrip("/")
        for filter_name, slug in itertools.product(SLUG_FILTERS, sorted(secrets.hidden_slugs)):
            hidden = client.get(base, {filter_name: slug}).status_code
            missing = client.get(base, {filter_name: MISSING_SLUG}).status_code
            if hidden != missing:
                problems.append(
                    f"{name}: {base}?{filter_name}={slug} answers {hidden}, "
                    f"a missing slug {missing}"
                )
    return problems


def body_of(response) -> str:
    """The text of a response, streamed ones too (/favicon.ico leads to a
    static file that WhiteNoise streams)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def find_leaks(client: Client, secrets: Secrets, urlconf=None) -> list[str]:
    resolver = get_resolver(urlconf)
    problems = []
    for template, name, prefixed in enumerate_routes(resolver.url_patterns):
        is_admin = template.startswith("admin/")
        try:
            urls = concrete_urls(template, secrets, first_only=is_admin)
        except LookupError as error:
            problems.append(f"{name}: {error} — teach tests/test_leaks.py how to fill it")
            continue
        if is_admin:
            # Staff only: anonymous clients are sent to the login page, nothing more.
            for url in urls:
                response = client.get(url)
                body = body_of(response)
                if (
                    response.status_code == 200
                    and "/admin/login/" not in url
                    and ("/admin/logout/" not in url)
                ):
                    problems.append(f"{name}: {url} answers 200 to an anonymous client")
                problems += [f"{name}: {url} shows {m}" for m in secrets.markers if m in body]
            continue
        problems += status_oracles(client, template, name, secrets, prefixed)
        for url in urls:
            variants = [url, "/es" + url] if prefixed else [url]
            for variant, query in itertools.product(variants, QUERY_STRINGS):
                response = client.get(variant + query, follow=True)
                body = body_of(response)
                for marker in secrets.markers:
                    if marker in body:
                        problems.append(f"{name}: {variant + query} shows {marker}")
    return problems


def test_no_route_shows_non_public_content_to_an_anonymous_client(researcher, editor, editor2):
    secrets = plant_secrets(researcher, editor, editor2)
    routes = list(enumerate_routes(get_resolver().url_patterns))
    assert len(routes) > 20
    problems = find_leaks(Client(), secrets)
    assert problems == []


# --- The check itself can fail --------------------------------------------------------


def leaky_claim_view(request, slug):
    from django.http import HttpResponse

    claim = Claim.objects.get(slug=slug)  # ignores Claim.objects.public()
    return HttpResponse(claim.text)


class LeakyURLConf:
    from config.urls import urlpatterns as _base

    urlpatterns = [*_base, path("leaky/<slug:slug>/", leaky_claim_view)]


def test_the_leak_check_catches_a_route_that_ignores_visibility(researcher, editor, editor2):
    secrets = plant_secrets(researcher, editor, editor2)
    with override_settings(ROOT_URLCONF=LeakyURLConf), translation.override("en"):
        problems = find_leaks(Client(raise_request_exception=False), secrets, urlconf=LeakyURLConf)
    leaked = [p for p in problems if "/leaky/" in p]
    # Caught twice over: its body shows the draft, and its status tells a
    # hidden claim's slug from a missing one.
    assert any("shows zqxleak" in p for p in leaked)
    assert any("answers unlike a missing slug" in p for p in leaked)
    assert not [p for p in problems if "/leaky/" not in p]


def test_a_route_the_check_cannot_fill_fails_it():
    class Unknown:
        urlpatterns = [path("mystery/<uuid:token>/", leaky_claim_view)]

    problems = find_leaks(Client(), Secrets(markers=[MARK]), urlconf=Unknown)
    assert problems and "no values for parameter <token>" in problems[0]


# --- The tipline: what a reader sends must not bring back unpublished work ----------------


def test_a_tip_worded_exactly_like_unpublished_work_is_never_answered_with_it(
    researcher, editor, editor2, settings
):
    from django.contrib.auth.models import Group

    from claims.search.matching import similar_claims
    from claims.site.tips import form_token
    from tests.claims.api.conftest import client_for
    from tests.factories import UserFactory

    settings.TIP_MIN_SECONDS = 0
    settings.TIP_RATE_PER_HOUR = 1000
    plant_secrets(researcher, editor, editor2)
    bot = UserFactory(username="tip-bot", is_staff=True)
    bot.groups.add(Group.objects.get(name="Tipline channel"))
    channel = client_for(bot)
    hidden = Claim.objects.exclude(pk__in=Claim.objects.public())
    assert hidden.count() >= 4
    for claim in hidden:
        if claim.merged_into_id is None:
            # The check can fail: over every claim, the matcher finds this one
            # (merged duplicates it never offers, to anyone).
            assert claim in [m.claim for m in similar_claims(claim.text)], claim.text
        for prefix in ("", "/es"):
            client = Client()
            sent = client.post(f"{prefix}/tips/", {"text": claim.text, "started": form_token()})
            assert sent.status_code == 303
            body = client.get(sent["Location"]).content.decode()
            assert f"/claims/{claim.slug}/" not in body
        answer = channel.post("/api/v1/tips/", {"text": claim.text}).json()
        assert claim.pk not in [r["claim"]["id"] for r in answer["results"]]
        assert all(m["claim"]["text"] != claim.text for m in answer["results"])
