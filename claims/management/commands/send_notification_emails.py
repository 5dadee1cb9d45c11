"""Email the recent notifications a mail outage held back (run it every few
minutes from cron or a timer; each is emailed at most once)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.models import Notification
from claims.services.notifications import notifications_email


class Command(BaseCommand):
    help = "Email the newsroom's recent notifications that were not emailed yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=int,
            default=48,
            help="Only notifications this recent (default 48); older ones stay on the desk.",
        )

    def handle(self, *args, hours, **options):
        if hours < 1:
            raise CommandError("--hours must be at least 1.")
        since = timezone.now() - timedelta(hours=hours)
        pending = Notification.objects.filter(emailed_at__isnull=True, created__gte=since)
        sent = notifications_email(ids=pending.values_list("pk", flat=True))
        self.stdout.write(f"{sent} notification email(s) sent.")
