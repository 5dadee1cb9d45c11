from django.conf import settings
from django.core.management.base import BaseCommand

from claims.services.tips import tips_erase_expired


class Command(BaseCommand):
    help = (
        "Erase tipsters' email addresses and network-address hashes older than "
        "TIP_RETENTION_DAYS (default 90). Run it daily (cron, a systemd timer, or a "
        "periodic task calling claims.services.tips.tips_erase_expired)."
    )

    def handle(self, *args, **options):
        erased = tips_erase_expired()
        self.stdout.write(
            f"Erased personal data from {erased} tip(s) older than "
            f"{settings.TIP_RETENTION_DAYS} days."
        )
