"""Build a large synthetic newsroom for benchmarks and load tests.

    python manage.py generate_newsroom --claims 1000000

Rows are written in bulk (PostgreSQL: COPY; other databases: batched INSERTs),
bypassing the services on purpose: at a million claims the workflow functions
would take hours. What the workflow guarantees is reproduced instead:
published claims have a published verdict approved by a second editor, their
appearances and evidence are published with them, and the workflow log has the
"created" and "published" steps. Search stays correct: on PostgreSQL each
claim is inserted after its verdict and appearances, so the search trigger
computes its vector on insert like any other; the search indexes are dropped
for the load and rebuilt once at the end.
"""

from __future__ import annotations

import datetime
import queue
import random
import threading
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from bench.synthetic import FIRST_NAMES, LAST_NAMES, ROLES_EN, WordingFactory
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimantKind,
    ClaimStatus,
    Evidence,
    Rating,
    Transition,
    TransitionAction,
    Verdict,
)
from claims.search import RANKED_INDEX, embedding
from sources.models import Language, Publisher, Source

# Derived search structures rebuilt after a bulk load (migrations 0006, 0010,
# 0011, 0012); bench/ reports their sizes.
SEARCH_INDEXES = (
    "claim_search_vector",
    "claim_text_vector",
    RANKED_INDEX,
    *(f"{RANKED_INDEX}_{language}" for language in Language.values),
)


class Command(BaseCommand):
    help = "Generate a synthetic newsroom of N claims (bulk insert / COPY) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--spanish", type=float, default=0.4, help="Share of claims in Spanish (0.4)."
        )
        parser.add_argument(
            "--chunk", type=int, default=20_000, help="Claims written per batch (20000)."
        )

    def handle(self, *args, claims: int, seed: int, spanish: float, chunk: int, **options):
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        if not 0 <= spanish <= 1:
            raise CommandError("--spanish must be between 0 and 1.")
        started = time.monotonic()
        generator = NewsroomGenerator(seed=seed, spanish=spanish, log=self.stdout.write)
        with transaction.atomic():
            generator.run(claims, chunk=max(1, chunk))
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {claims:,} claims in {time.monotonic() - started:,.0f} s."
            )
        )
        if embedding.get_embedder() is not None:
            # Embedding here would take hours for a large newsroom (BENCHMARKS.md),
            # and the claims are bulk-loaded, behind the services that embed.
            self.stdout.write(
                "The claims and their quotes are not embedded: semantic matching finds them once "
                "`manage.py embed_claims` and then `manage.py build_vector_index` have run."
            )


def _prefetched(iterator, depth: int = 1):
    """Run `iterator` in a background thread, `depth` items ahead."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    done = object()

    def produce():
        try:
            for item in iterator:
                items.put(item)
        except BaseException as error:  # handed to the consumer
            items.put(error)
        items.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while (item := items.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


class TableWriter:
    """Writes rows (dicts by field name) to a model's table, filling any column
    not given with the field's default, so the generator keeps working when
    other changes add columns."""

    def __init__(self, model, using_copy: bool):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.using_copy = using_copy
        self.defaults = {}
        for field in self.fields:
            if field.has_default():
                self.defaults[field.name] = field.get_default()
            elif field.null:
                self.defaults[field.name] = None

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        names = [f.name for f in self.fields]
        missing = [n for n in names if n not in rows[0] and n not in self.defaults]
        if missing:
            raise CommandError(f"{self.model.__name__}: no value for {', '.join(missing)}.")
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        values = (tuple(row.get(n, self.defaults.get(n)) for n in names) for row in rows)
        with connection.cursor() as cursor:
            if self.using_copy:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                placeholders = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                    [
                        tuple(
                            f.get_db_prep_save(v, connection)
                            for f, v in zip(self.fields, value, strict=True)
                        )
                        for value in values
                    ],
                )


class NewsroomGenerator:
    def __init__(self, *, seed: int, spanish: float, log=print):
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.words = WordingFactory(self.rng)
        self.spanish = spanish
        self.log = log
        self.postgres = connection.vendor == "postgresql"
        self.now = timezone.now()

    # --- ids -------------------------------------------------------------------------

    def _next_id(self, model) -> int:
        top = model._base_manager.aggregate(top=models.Max("pk"))["top"]
        return (top or 0) + 1

    def _ids(self, model, count: int) -> range:
        first = self._next_id(model)
        return range(first, first + count)

    def _reset_sequences(self, models_: Iterable) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models_:
                table = model._meta.db_table
                top = f"SELECT coalesce(max(id), 1) FROM {connection.ops.quote_name(table)}"  # noqa: S608
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))",
                    [table],
                )

    # --- the run -----------------------------------------------------------------------

    def run(self, count: int, *, chunk: int) -> None:
        # Claims last: the search trigger computes each new claim's vector on
        # insert, from its verdict and appearances already written (foreign
        # keys are checked at commit). No claim row is written twice.
        tables = [Verdict, Appearance, Evidence, Transition, Claim]
        if self.postgres:
            with connection.cursor() as cursor:
                # Exclusive for the load: nobody sees half-built search data.
                for model in [*tables, Claimant, Source, Publisher]:
                    cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            index_definitions = self._drop_search_indexes()
        users = self._users()
        ratings = list(
            Rating.objects.filter(scale__is_default=True, value__isnull=False).values_list(
                "pk", flat=True
            )
        )
        if not ratings:
            raise CommandError("No default rating scale: run the migrations first.")
        publishers = self._publishers(max(20, count // 5000))
        sources = self._sources(max(50, count // 20), publishers)
        claimants = self._claimants(max(50, count // 40))
        writers = {model: TableWriter(model, self.postgres) for model in tables}
        claim_ids = self._ids(Claim, count)
        verdict_ids = iter(self._ids(Verdict, count))
        appearance_ids = iter(self._ids(Appearance, 3 * count))
        evidence_ids = iter(self._ids(Evidence, 2 * count))
        transition_ids = iter(self._ids(Transition, 3 * count))
        started = time.monotonic()

        def chunks():
            for offset in range(0, count, chunk):
                rows = {model: [] for model in tables}
                for claim_id in claim_ids[offset : offset + chunk]:
                    self._claim(
                        claim_id,
                        rows,
                        users=users,
                        ratings=ratings,
                        sources=sources,
                        claimants=claimants,
                        ids=(verdict_ids, appearance_ids, evidence_ids, transition_ids),
                    )
                yield min(offset + chunk, count), rows

        # Wording is generated in a second thread while the database takes the
        # previous batch: the two cores work at the same time.
        for done, rows in _prefetched(chunks()):
            for model in tables:
                writers[model].write(rows[model])
            if self.postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            self.log(f"  {done:,} claims ({time.monotonic() - started:,.0f} s)")
        self._reset_sequences([Claim, Verdict, Appearance, Evidence, Transition])
        if self.postgres:
            self.log(f"Rebuilding search indexes ... ({time.monotonic() - started:,.0f} s)")
            with connection.cursor() as cursor:
                for definition in index_definitions:
                    cursor.execute(definition)
                for model in [*tables, Claimant, Source, Publisher]:
                    cursor.execute(f"ANALYZE {model._meta.db_table}")

    # --- search structures ----------------------------------------------------------

    def _drop_search_indexes(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(SEARCH_INDEXES)],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in found]

    # --- reference data -------------------------------------------------------------------

    def _users(self) -> dict[str, int]:
        User = get_user_model()
        users = {}
        for username, group in [
            ("generated-researcher", "Researcher"),
            ("generated-editor", "Editor"),
            ("generated-editor2", "Editor"),
        ]:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get(name=group))
            users[username.removeprefix("generated-")] = user.pk
        return users

    def _publishers(self, count: int) -> list[int]:
        first = self._next_id(Publisher)
        Publisher.objects.bulk_create(
            Publisher(
                id=first + i,
                name=f"Generated publisher {first + i}",
                slug=f"generated-publisher-{first + i}",
                country=self.rng.choice(["PE", "CL", "CO", "EC", "AR", "BO", "VE"]),
            )
            for i in range(count)
        )
        self._reset_sequences([Publisher])
        return list(range(first, first + count))

    def _sources(self, count: int, publishers: list[int]) -> list[int]:
        first = self._next_id(Source)
        batch = []
        for i in range(count):
            pk = first + i
            batch.append(
                Source(
                    id=pk,
                    title=f"Generated report {pk}",
                    slug=f"generated-report-{pk}",
                    url=f"https://generated.example.org/report-{pk}",
                    publisher_id=self.rng.choice(publishers),
                    published_on=datetime.date(2012, 1, 1)
                    + datetime.timedelta(days=self.rng.randint(0, 5000)),
                    language=self.rng.choice(["en", "es"]),
                )
            )
        Source.objects.bulk_create(batch, batch_size=5000)
        self._reset_sequences([Source])
        return list(range(first, first + count))

    def _claimants(self, count: int) -> list[int]:
        first = self._next_id(Claimant)
        batch = []
        for i in range(count):
            pk = first + i
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            batch.append(
                Claimant(
                    id=pk,
                    name=name,
                    slug=f"{slugify(name)}-{pk}",
                    kind=ClaimantKind.PERSON,
                    role=self.rng.choice(ROLES_EN),
                    country=self.rng.choice(["PE", "CL", "CO", "EC", "AR", "BO", "VE"]),
                )
            )
        Claimant.objects.bulk_create(batch, batch_size=5000)
        self._reset_sequences([Claimant])
        return list(range(first, first + count))

    # --- one claim ----------------------------------------------------------------------

    def _claim(self, claim_id, rows, *, users, ratings, sources, claimants, ids) -> None:
        rng = self.rng
        verdict_ids, appearance_ids, evidence_ids, transition_ids = ids
        language = "es" if rng.random() < self.spanish else "en"
        wording = self.words.wording(language)
        roll = rng.random()
        status = (
            ClaimStatus.PUBLISHED
            if roll < 0.85
            else ClaimStatus.DRAFT
            if roll < 0.95
            else ClaimStatus.IN_REVIEW
            if roll < 0.98
            else ClaimStatus.RETRACTED
        )
        created_at = self.now - datetime.timedelta(days=rng.randint(30, 3000))
        published = status in {ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED}
        published_at = (
            created_at + datetime.timedelta(days=rng.randint(1, 20)) if published else None
        )
        verdict_id = next(verdict_ids)
        rows[Verdict].append(
            {
                "id": verdict_id,
                "claim": claim_id,
                "number": 1,
                "rating": rng.choice(ratings),
                "conclusion": wording.conclusion,
                "explanation": wording.explanation,
                "author": users["researcher"],
                "reviewer": users["editor"] if published else None,
                "created_at": created_at,
                "updated_at": published_at or created_at,
                "published_at": published_at,
                "version": 2 if published else 1,
            }
        )
        claim = {
            "id": claim_id,
            "text": wording.text,
            "slug": f"{slugify(wording.text)[:100].strip('-')}-{claim_id}",
            "claimant": rng.choice(claimants) if rng.random() < 0.9 else None,
            "language": language,
            "context": "",
            "retraction_reason": "",
            "status": status,
            "published_verdict": verdict_id if published else None,
            "published_at": published_at,
            "public_updated_at": published_at,
            "created_by": users["researcher"],
            "created_at": created_at,
            "updated_at": published_at or created_at,
            "version": 4 if published else 1,
        }
        if status == ClaimStatus.RETRACTED:
            claim["retracted_at"] = published_at + datetime.timedelta(days=30)
            claim["retraction_reason"] = "Retracted after new data were published."
        claim["first_made_on"] = (created_at - datetime.timedelta(days=rng.randint(0, 30))).date()
        rows[Claim].append(claim)
        for index, quote in enumerate(wording.quotes):
            # Later appearances often come after the fact-check: repetitions.
            said = claim["first_made_on"] + datetime.timedelta(
                days=0 if index == 0 else rng.randint(5, 400)
            )
            rows[Appearance].append(
                {
                    "id": next(appearance_ids),
                    "claim": claim_id,
                    "source": rng.choice(sources),
                    "quote": quote,
                    "appeared_on": said,
                    "published_at": published_at,
                    "created_by": users["researcher"],
                    "created_at": created_at,
                }
            )
        first_source, second_source = rng.sample(sources, 2)
        for source, stance in ((first_source, "refutes"), (second_source, "context")):
            rows[Evidence].append(
                {
                    "id": next(evidence_ids),
                    "claim": claim_id,
                    "source": source,
                    "excerpt": wording.conclusion,
                    "stance": stance,
                    "note": "",
                    "figure_quantity": "",
                    "figure_qualifier": "",
                    "figure_unit": "",
                    "published_at": published_at,
                    "created_by": users["researcher"],
                    "created_at": created_at,
                }
            )
        rows[Transition].append(
            {
                "id": next(transition_ids),
                "claim": claim_id,
                "action": TransitionAction.CREATE,
                "from_status": "",
                "to_status": ClaimStatus.DRAFT,
                "actor": users["researcher"],
                "at": created_at,
                "comment": "",
            }
        )
        if published:
            rows[Transition].append(
                {
                    "id": next(transition_ids),
                    "claim": claim_id,
                    "action": TransitionAction.PUBLISH,
                    "from_status": ClaimStatus.IN_REVIEW,
                    "to_status": ClaimStatus.PUBLISHED,
                    "actor": users["editor"],
                    "at": published_at,
                    "comment": "",
                }
            )
        if status == ClaimStatus.RETRACTED:
            rows[Transition].append(
                {
                    "id": next(transition_ids),
                    "claim": claim_id,
                    "action": TransitionAction.RETRACT,
                    "from_status": ClaimStatus.PUBLISHED,
                    "to_status": ClaimStatus.RETRACTED,
                    "actor": users["editor"],
                    "at": claim["retracted_at"],
                    "comment": claim["retraction_reason"],
                }
            )
