from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checks")

    def ready(self):
        from claims.search import register_sqlite_functions

        # SQLite gets the accent-folding function search uses (PostgreSQL has
        # its own, created by a migration).
        connection_created.connect(
            register_sqlite_functions, dispatch_uid="claims.search.register_sqlite_functions"
        )
