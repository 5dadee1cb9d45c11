"""The reader site: pages (Jinja2 templates: `rendering`), feeds and sitemap, every one built
from the public selectors (`claims.selectors`)."""
