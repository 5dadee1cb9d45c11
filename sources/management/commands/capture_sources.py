"""Capture existing sources' pages in bulk: `manage.py capture_sources`."""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from sources.capture import capture_request, captures_run_inline
from sources.models import CaptureReason, SnapshotOrigin, Source, SourceSnapshot


class Command(BaseCommand):
    help = (
        "Queue a capture of every source with a URL that has none yet (with --all, of "
        "every source with a URL). Without a broker the captures run here, one by one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Recapture sources already captured."
        )
        parser.add_argument("slugs", nargs="*", help="Only these sources.")

    def handle(self, *args, all=False, slugs=(), **options):  # noqa: A002
        sources = Source.objects.filter(url__isnull=False).order_by("pk")
        if slugs:
            sources = sources.filter(slug__in=slugs)
        if not all:
            captured = SourceSnapshot.objects.filter(
                source=OuterRef("pk"), origin=SnapshotOrigin.CAPTURED
            )
            sources = sources.exclude(Exists(captured))
        jobs = [capture_request(source=source, reason=CaptureReason.BULK) for source in sources]
        jobs = [job for job in jobs if job is not None]
        if captures_run_inline():
            for job in jobs:
                job.refresh_from_db()
                self.stdout.write(
                    f"{job.source.slug}: {job.get_status_display()} {job.error}".rstrip()
                )
        else:
            self.stdout.write(f"{len(jobs)} capture(s) queued for the worker.")
