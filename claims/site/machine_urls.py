"""Machine-readable site files, outside the language prefixes: sitemap.xml,
robots.txt, and the feeds (which carry their own language prefix)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from claims.site.caching import reader_page
from claims.site.feeds import feed_urlpatterns
from claims.site.sitemaps import SITEMAPS
from claims.site.views import robots_txt

urlpatterns = [
    path(
        "sitemap.xml",
        require_safe(reader_page(sitemap)),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    *feed_urlpatterns(),
]
