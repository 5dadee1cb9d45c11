import time

from django.core.management.base import BaseCommand, CommandError

from claims.search import ann, embedding


class Command(BaseCommand):
    help = (
        "Write the approximate nearest-neighbour index of every stored claim vector "
        "(VERAZ_VECTOR_INDEX_PATH), replacing the old file only once the new one is "
        "complete. Run after `embed_claims`; the beat task reruns it when the file lags."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", help="Write here instead of VERAZ_VECTOR_INDEX_PATH.")

    def handle(self, *args, path: str | None, **options):
        embedder = embedding.get_embedder()
        if embedder is None:
            raise CommandError("No embedder is configured or importable (VERAZ_EMBEDDER).")
        if not ann.usearch_available():
            raise CommandError("usearch is not installed: matching uses the exact scan.")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"\r  indexed {done} of {total} ({elapsed:.0f} s)", ending="")
            self.stdout.flush()

        self.stdout.write(f"Indexing the vectors of {embedder.name}")
        metadata = ann.build_index_file(
            embedder_name=embedder.name,
            path=ann.Path(path) if path else None,
            progress=progress,
        )
        self.stdout.write(
            f"\nIndexed {metadata.count} vectors in {time.monotonic() - started:.1f} s "
            f"({metadata.size / 1e6:.1f} MB; rows updated from {metadata.high_water} "
            "are searched exactly beside it until the next build)."
        )
