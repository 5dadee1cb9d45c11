from django.conf import settings
from django.core.management.base import BaseCommand

from claims.demo import DemoNewsroom, demo_users


class Command(BaseCommand):
    help = (
        "Load the demo newsroom built from the two seed reports. Idempotent. Demo logins "
        "are created only with DEBUG on or --with-users."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Give the demo accounts their well-known passwords (never in production).",
        )

    def handle(self, *args, with_users: bool, **options):
        with_users = with_users or settings.DEBUG
        DemoNewsroom(with_users=with_users, stdout=self.stdout).load()
        if with_users:
            self.stdout.write("Demo logins (for /admin/):")
            for user in demo_users():
                role = "superuser" if user.superuser else user.group
                self.stdout.write(f"  {user.username:<12} {user.password:<24} {role}")
