"""sitemap.xml: every public page in every UI language, with hreflang alternates.

URLs are built on SITE_URL (the canonical address), not on the Site row or the
request's host, so crawlers always get the address the ClaimReview uses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.selectors import public_claimants, public_claims, public_sources, public_topics


class ReaderSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class FactCheckSitemap(ReaderSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        # Retracted claims keep their URL but leave the sitemap: their page
        # carries only the notice and asks not to be indexed.
        return public_claims().prefetch_related(None)

    def lastmod(self, claim):
        return claim.public_updated_at or claim.published_at


class SectionSitemap(ReaderSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        sections = ["claims:home", "claims:list", "claims:corrections", "claims:methodology"]
        # About and Contact are flat pages an administrator writes (or removes);
        # list only those that exist, so the sitemap never points to a 404.
        written = set(
            FlatPage.objects.filter(
                url__in=["/about/", "/contact/"],
                sites=settings.SITE_ID,
                registration_required=False,
            ).values_list("url", flat=True)
        )
        sections += [f"claims:{key}" for key in ("about", "contact") if f"/{key}/" in written]
        return sections

    def location(self, name):
        return reverse(name)


class TopicSitemap(ReaderSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return public_topics()


class ClaimantSitemap(ReaderSitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return public_claimants()


class SourceSitemap(ReaderSitemap):
    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return public_sources().order_by("pk")


SITEMAPS = {
    "fact-checks": FactCheckSitemap,
    "sections": SectionSitemap,
    "topics": TopicSitemap,
    "claimants": ClaimantSitemap,
    "sources": SourceSitemap,
}
