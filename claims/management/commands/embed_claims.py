import time

from django.core.management.base import BaseCommand, CommandError

from claims.models import Appearance, Claim
from claims.search import embedding


class Command(BaseCommand):
    help = (
        "Store the embedding of every claim whose wording has none yet (or changed since), "
        "and of every appearance's quote likewise, for semantic claim matching. Run after "
        "enabling or changing VERAZ_EMBEDDER."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=64, help="Texts per call (64).")

    def handle(self, *args, batch_size: int, **options):
        embedder = embedding.get_embedder()
        if embedder is None:
            raise CommandError("No embedder is configured or importable (VERAZ_EMBEDDER).")
        started = time.monotonic()

        def progress(done: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"\r  embedded {done} ({elapsed:.0f} s)", ending="")
            self.stdout.flush()

        self.stdout.write(f"Checking {Claim.objects.count()} claims with {embedder.name}")
        claims = Claim.objects.only("pk", "text").order_by("pk").iterator(chunk_size=2000)
        done = embedding.embed_claims(claims, batch_size=batch_size, progress=progress)
        self.stdout.write(f"\nEmbedded {done} claims in {time.monotonic() - started:.1f} s.")

        started = time.monotonic()
        self.stdout.write(f"Checking {Appearance.objects.count()} appearances' quotes")
        appearances = (
            Appearance.objects.only("pk", "quote").order_by("pk").iterator(chunk_size=2000)
        )
        done = embedding.embed_quotes(appearances, batch_size=batch_size, progress=progress)
        self.stdout.write(f"\nEmbedded {done} quotes in {time.monotonic() - started:.1f} s.")
