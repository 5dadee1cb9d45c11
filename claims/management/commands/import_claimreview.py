import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.claimreview.parse import ImportRejected
from claims.exceptions import NotPermitted
from claims.services import import_claimreviews


class Command(BaseCommand):
    help = (
        "Import other fact-checkers' ClaimReview from PATH ('-' for standard input): a "
        "ClaimReview object, a list of them, or a DataFeed. Valid items are imported (the "
        "same review URL updates the earlier import); malformed ones are reported with their "
        "position and reason, and the command then exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON file to import, or '-' for standard input.")
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="Record this newsroom account as the importer (it needs the import permission).",
        )

    def handle(self, *args, path: str, by: str | None, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"No user named {by!r}.")
        limit = settings.CLAIMREVIEW_IMPORT_MAX_BYTES
        if path == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path} is not a file.")
            if file.stat().st_size > limit:
                raise CommandError(
                    f"{path} is {file.stat().st_size} bytes; the limit is {limit} bytes "
                    "(CLAIMREVIEW_IMPORT_MAX_BYTES). Split it and import the parts."
                )
            try:
                raw = file.read_bytes()
            except OSError as error:
                raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
        try:
            report = import_claimreviews(raw, by=user)
        except (ImportRejected, NotPermitted) as error:
            raise CommandError(f"Nothing imported: {error.message}") from None
        for warning in report.warnings:
            self.stderr.write(f"warning at {warning.position or '(document)'}: {warning.reason}")
        for problem in report.problems:
            self.stderr.write(f"not imported {problem.position or '(document)'}: {problem.reason}")
        self.stdout.write(
            f"{report.count('created')} created, {report.count('updated')} updated, "
            f"{report.count('unchanged')} unchanged, {len(report.problems)} not imported."
        )
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} item(s) could not be imported; see above.", returncode=1
            )
