import json
import os
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from claims.claimreview.feed import claimreview_feed, feed_claims


class Command(BaseCommand):
    help = (
        "Write every published fact-check as a schema.org DataFeed of ClaimReview (the same "
        "feed as GET /api/v1/claimreview-feed/) to PATH, or to standard output with '-'. "
        "Fact-checks whose outcome is not a rating (opinion) have no ClaimReview and are "
        "left out. Absolute URLs use SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write, or '-' for standard output.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the rating labels (default: %(default)s).",
        )
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Where the site is served, for absolute URLs (default: SITE_URL, %(default)s).",
        )

    def handle(self, *args, path: str, language: str, site_url: str, **options):
        site_url = site_url.rstrip("/")
        with translation.override(language):
            feed = claimreview_feed(feed_claims(), site_url=site_url)
        text = json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
        count = len(feed["dataFeedElement"])
        if path == "-":
            sys.stdout.write(text)
            return
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"Directory {target.parent} does not exist.")
        # Write beside the target and rename, so an aggregator never reads half a feed.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".claimreview-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {count} ClaimReview item(s) to {target}.")
