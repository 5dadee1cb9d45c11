"""The site's absolute addresses: one place joins SITE_URL and a path."""

from django.conf import settings


def site_url(path: str = "") -> str:
    """`path` on the site's canonical address (SITE_URL), as readers and
    search engines see it, whatever host a request came in on."""
    return settings.SITE_URL.rstrip("/") + path
