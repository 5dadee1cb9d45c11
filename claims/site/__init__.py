"""The reader site: pages, feeds, sitemap and template tags, every one built
from the public selectors (`claims.selectors`)."""
