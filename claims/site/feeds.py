"""RSS and Atom feeds of published fact-checks: all, per topic, per claimant.

Each feed exists once per UI language, at the same place as the pages:
`/feeds/fact-checks.rss` in English, `/es/feeds/fact-checks.rss` in Spanish
(rating labels and feed titles follow the language; claim text never does).
They start from `claims.selectors`, so a draft, a claim in review, a
retraction or a merged duplicate never reaches a feed reader.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from claims.models import Claim
from claims.selectors import public_claimants, public_claims, public_topics
from claims.site.caching import reader_page
from claims.site.links import site_url
from claims.text import clean_data

FEED_LENGTH = 50


class CleanTextFeedMixin:
    """XML 1.0 cannot carry some characters at all (a form feed, a bell):
    Django refuses to write them, so one in a claim would turn every feed
    that lists it into a 500. Text is cleaned here, whatever the database
    holds (new input is cleaned on the way in; see `claims.text`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*clean_data(list(args)), **clean_data(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*clean_data(list(args)), **clean_data(kwargs))


class CleanRssFeed(CleanTextFeedMixin, Rss201rev2Feed):
    pass


class CleanAtomFeed(CleanTextFeedMixin, Atom1Feed):
    pass


class LatestFactChecks(Feed):
    feed_type = CleanRssFeed
    kind = "latest"

    def __init__(self, language: str):
        self.language = language

    def __call__(self, request, *args, **kwargs):
        with override(self.language):
            return super().__call__(request, *args, **kwargs)

    # The feed

    def title(self, obj=None) -> str:
        return _("%(newsroom)s: latest fact-checks") % {"newsroom": settings.NEWSROOM_NAME}

    def description(self, obj=None) -> str:
        return _("Fact-checks published by %(newsroom)s, newest first.") % {
            "newsroom": settings.NEWSROOM_NAME
        }

    def link(self, obj=None) -> str:
        return site_url(reverse("claims:list"))

    def feed_url(self, obj=None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        name = f"feed_{self.kind}_{self.format}_{self.language}"
        return site_url(reverse(name, kwargs=kwargs))

    @property
    def format(self) -> str:
        return "atom" if issubclass(self.feed_type, Atom1Feed) else "rss"

    def items(self, obj=None):
        return public_claims()[:FEED_LENGTH]

    # Each fact-check. Titles and descriptions are escaped once more, as
    # Django's own feeds do: many readers treat RSS text as HTML.

    def item_title(self, claim: Claim) -> str:
        return escape(claim.text)

    def item_description(self, claim: Claim) -> str:
        verdict = claim.published_verdict
        return escape(
            _("Rating: %(rating)s. %(conclusion)s")
            % {"rating": verdict.rating.display_label, "conclusion": verdict.conclusion}
        )

    def item_link(self, claim: Claim) -> str:
        return site_url(claim.get_absolute_url())

    def item_pubdate(self, claim: Claim):
        return claim.published_at

    def item_updateddate(self, claim: Claim):
        return claim.public_updated_at or claim.published_at

    def item_categories(self, claim: Claim) -> list[str]:
        return [topic.display_name for topic in claim.topics.all()]


class TopicFactChecks(LatestFactChecks):
    kind = "topic"

    def get_object(self, request, slug):
        return get_object_or_404(public_topics(), slug=slug)

    def title(self, obj=None) -> str:
        return _("%(newsroom)s: fact-checks on %(topic)s") % {
            "newsroom": settings.NEWSROOM_NAME,
            "topic": obj.display_name,
        }

    def link(self, obj=None) -> str:
        return site_url(obj.get_absolute_url())

    def items(self, obj=None):
        return public_claims().filter(topics=obj)[:FEED_LENGTH]


class ClaimantFactChecks(LatestFactChecks):
    kind = "claimant"

    def get_object(self, request, slug):
        return get_object_or_404(public_claimants(), slug=slug)

    def title(self, obj=None) -> str:
        return _("%(newsroom)s: fact-checks of %(claimant)s") % {
            "newsroom": settings.NEWSROOM_NAME,
            "claimant": obj.name,
        }

    def link(self, obj=None) -> str:
        return site_url(obj.get_absolute_url())

    def items(self, obj=None):
        return public_claims().filter(claimant=obj)[:FEED_LENGTH]


def _atom(feed_class: type[LatestFactChecks]) -> type[LatestFactChecks]:
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": CleanAtomFeed})


FEEDS = {
    ("latest", "rss"): ("feeds/fact-checks.rss", LatestFactChecks),
    ("latest", "atom"): ("feeds/fact-checks.atom", _atom(LatestFactChecks)),
    ("topic", "rss"): ("feeds/topics/<slug:slug>.rss", TopicFactChecks),
    ("topic", "atom"): ("feeds/topics/<slug:slug>.atom", _atom(TopicFactChecks)),
    ("claimant", "rss"): ("feeds/claimants/<slug:slug>.rss", ClaimantFactChecks),
    ("claimant", "atom"): ("feeds/claimants/<slug:slug>.atom", _atom(ClaimantFactChecks)),
}


def feed_urlpatterns() -> list:
    """Every feed in every UI language, the default language unprefixed like
    the pages. Named `feed_<kind>_<format>_<language>`."""
    patterns = []
    for language, _name in settings.LANGUAGES:
        prefix = "" if language == settings.LANGUAGE_CODE else f"{language}/"
        for (kind, fmt), (route, feed_class) in FEEDS.items():
            patterns.append(
                path(
                    prefix + route,
                    require_safe(reader_page(feed_class(language))),
                    name=f"feed_{kind}_{fmt}_{language}",
                )
            )
    return patterns
