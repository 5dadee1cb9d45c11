import time

from django.core.management.base import BaseCommand, CommandError

from claims.search import ann, embedding
from claims.search.embedded import CLAIMS, QUOTES

KINDS = {"claims": CLAIMS, "quotes": QUOTES}


class Command(BaseCommand):
    help = (
        "Write the approximate nearest-neighbour indexes of every stored claim vector "
        "(VERAZ_VECTOR_INDEX_PATH) and of every stored quote vector (the same path "
        "with .quotes), replacing each old file only once the new one is complete. "
        "Run after `embed_claims`; the beat task reruns it when a file lags."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", help="Write here (and here.quotes) instead of VERAZ_VECTOR_INDEX_PATH."
        )
        parser.add_argument(
            "--only", choices=sorted(KINDS), help="Build one of the two files, not both."
        )

    def handle(self, *args, path: str | None, only: str | None, **options):
        embedder = embedding.get_embedder()
        if embedder is None:
            raise CommandError("No embedder is configured or importable (VERAZ_EMBEDDER).")
        if not ann.usearch_available():
            raise CommandError("usearch is not installed: matching uses the exact scan.")
        for kind in [KINDS[only]] if only else KINDS.values():
            self.build(kind, embedder.name, ann.index_path(kind, path) if path else None)

    def build(self, kind, embedder_name: str, path) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"\r  indexed {done} of {total} ({elapsed:.0f} s)", ending="")
            self.stdout.flush()

        self.stdout.write(
            f"Writing the {kind.label} ({path or ann.index_path(kind)}) of {embedder_name}"
        )
        metadata = ann.build_index_file(
            embedder_name=embedder_name, kind=kind, path=path, progress=progress
        )
        self.stdout.write(
            f"\nIndexed {metadata.count} vectors in {time.monotonic() - started:.1f} s "
            f"({metadata.size / 1e6:.1f} MB; rows updated from {metadata.high_water} "
            "are searched exactly beside it until the next build)."
        )
