"""Benchmark word search and similar-claim lookup on PostgreSQL.

Run against a database filled by `manage.py generate_newsroom` (see
BENCHMARKS.md for the exact commands):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veraz_bench_1000000 \\
        .venv/bin/python bench/search_bench.py --label "1,000,000 claims"

For each fixed query it measures, in the same run:

- indexed: what the public list and the API do (`search_claims` on the public
  claims, first page of 20 ranked results; `similar_claims` with limit 10);
- unindexed: the same calls with index and bitmap scans disabled for the
  session, so PostgreSQL reads the table (the baseline; for word search the
  search's own single query, see `search_page_unindexed`);
- the matching evaluation set (tests/claims/search/matching_pairs.json) at this
  scale: its existing claims are added to the newsroom inside a transaction
  that is rolled back, and precision and recall of "possibly the same" are
  measured with the word statistics of the full table.

and prints p50/p95 latencies (milliseconds), the ratio, and query plans.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models.query import ModelIterable  # noqa: E402

from bench.management.commands.generate_newsroom import SEARCH_INDEXES  # noqa: E402
from claims import services  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.search import search_claims  # noqa: E402
from claims.search.matching import similar_claims  # noqa: E402
from claims.selectors import public_claims  # noqa: E402

# What readers type: places, people, topics, in both languages, with and
# without accents, one to three words, a phrase and an exclusion.
SEARCH_QUERIES = [
    "inflation Arequipa",
    "pobreza Cusco",
    "migrantes venezolanos Tacna",
    "Boluarte",
    "Perú frontera militares",
    "peru border soldiers",
    '"state of emergency"',
    "deforestación Loreto",
    "dengue Piura",
    "teacher salaries",
    "sueldo minimo Lima",
    "copper exports Antofagasta",
    "tarifas de agua Callao",
    "Haitian migrants Chile",
    "extorsión Trujillo",
    "Colchane",
    "reforma de pensiones",
    "Chacalluta",
    "school dropout pandemic",
    "vacunación -Salta Puno",
]

# What researchers log: new wordings of claims like those in the database.
SIMILAR_TEXTS = [
    ("Chile deployed 500 troops to the Peruvian border in June 2015", "en"),
    ("Unemployment in Arequipa doubled in 2019", "en"),
    ("More than 3,000 Venezuelan migrants were stranded in Tacna in April 2023", "en"),
    ("Migrants commit more crimes than Peruvians in Lima", "en"),
    ("Congress passed the pension reform without any debate in 2021", "en"),
    ("Half of the street vendors in Cusco have no access to free healthcare", "en"),
    ("Piura has the highest dengue cases in Peru", "en"),
    ("Under Pedro Castillo inflation in Puno rose by 20%", "en"),
    ("The government spent 45 million dollars on a border wall in Tacna", "en"),
    ("Chile will deport all Haitian migrants by March 2024", "en"),
    ("Perú envió 500 militares a su frontera con Chile en junio de 2015", "es"),
    ("La pobreza en Cusco se duplicó en 2020", "es"),
    ("Más de dos mil personas cruzaron la frontera en Arica en mayo de 2023", "es"),
    ("Los migrantes venezolanos cometen más delitos que los peruanos en Lima", "es"),
    ("El Congreso aprobó la reforma de pensiones sin debate en 2021", "es"),
    ("El gobierno gastó 45 millones de dólares en un muro fronterizo en Tacna", "es"),
    ("Uno de cada cuatro jubilados en Puno trabaja sin contrato", "es"),
    ("La inflación en Arequipa bajó un 10% con Dina Boluarte", "es"),
    ("Chile expulsará a todos los migrantes haitianos antes de marzo de 2024", "es"),
    ("Piura registra la cifra más alta de casos de dengue del Perú", "es"),
]


def set_unindexed(on: bool) -> None:
    value = "off" if on else "on"
    with connection.cursor() as cursor:
        cursor.execute(f"SET enable_indexscan = {value}")
        cursor.execute(f"SET enable_bitmapscan = {value}")


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def search_page(query: str) -> list:
    return list(search_claims(public_claims(), query)[:20])


def search_page_unindexed(query: str) -> list:
    # The baseline runs the search's own single query (one table scan with the
    # indexes off). A page read from the index takes one scan per reading and
    # one for the page's rows, each a table scan here: that would inflate the
    # baseline, and the speed-up with it.
    results = search_claims(public_claims(), query)
    results._iterable_class = ModelIterable
    return list(results[:20])


def search_plans(query: str) -> list[str]:
    plans = PlanCollector()
    with connection.execute_wrapper(plans):
        search_page(query)
    return plans.found


def search_count(query: str) -> list:
    # As a list, like the other measured calls: [number of public matches].
    return [search_claims(public_claims(), query).count()]


def similar(text_and_language) -> list:
    text, language = text_and_language
    return similar_claims(text, language=language, limit=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(call, items, rounds: int, warm: bool = True) -> dict:
    if warm:
        for item in items:  # warm caches as a running site has them
            call(item)
    samples, per_item, sizes = [], {}, {}
    for _ in range(rounds):
        for item in items:
            ms, result = timed(lambda item=item: call(item))
            samples.append(ms)
            per_item.setdefault(str(item), []).append(ms)
            sizes[str(item)] = len(result)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "samples": len(samples),
        "per_query_median_ms": {k: round(statistics.median(v), 2) for k, v in per_item.items()},
        "results": sizes,
    }


class PlanCollector:
    """EXPLAIN (ANALYZE, BUFFERS) each SELECT on claims_claim as it runs."""

    def __init__(self):
        self.found = []

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("SELECT") and "claims_claim" in sql:
            with context["connection"].cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                self.found.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)


def similar_plans(text_and_language) -> list[str]:
    plans = PlanCollector()
    with connection.execute_wrapper(plans):
        similar(text_and_language)
    return plans.found


class _RolledBack(Exception):
    pass


def evaluation_at_scale() -> dict:
    """Precision and recall of the evaluation set among all generated claims."""
    pairs = json.loads((ROOT / "tests/claims/search/matching_pairs.json").read_text())["pairs"]
    outcome = {}
    try:
        with transaction.atomic():
            author = get_user_model().objects.get(username="generated-researcher")
            existing = {}
            for pair in pairs:
                key = (pair["existing"], pair["language"])
                if key not in existing:
                    existing[key] = services.claim_create(
                        by=author, text=pair["existing"], language=pair["language"]
                    )
            tp = fp = fn = 0
            misses = []
            for pair in pairs:
                target = existing[(pair["existing"], pair["language"])]
                found = similar_claims(pair["new"], language=pair["language"], limit=100)
                flagged = any(r.claim.pk == target.pk for r in found)
                tp += flagged and pair["same"]
                fp += flagged and not pair["same"]
                fn += pair["same"] and not flagged
                if flagged != pair["same"]:
                    misses.append(("missed: " if pair["same"] else "false match: ") + pair["new"])
            outcome = {
                "pairs": len(pairs),
                "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
                "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
                "misses": misses,
            }
            raise _RolledBack
    except _RolledBack:
        pass
    return outcome


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW effective_cache_size")
        effective_cache_size = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('claims_claim'))")
        claims_size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexname, pg_size_pretty(pg_relation_size(indexname::regclass)) "
            "FROM pg_indexes WHERE indexname = ANY(%s) ORDER BY indexname",
            [list(SEARCH_INDEXES)],
        )
        index_sizes = dict(cursor.fetchall())
    memory = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.split()
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory[memory.index("Mem:") + 1] if "Mem:" in memory else "?",
        "machine": platform.machine(),
        "python": platform.python_version(),
        "postgresql": version,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "effective_cache_size": effective_cache_size,
        "claims_table_with_indexes": claims_size,
        "search_index_sizes": index_sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--baseline-rounds", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark measures PostgreSQL: set DATABASE_URL.")

    report = {
        "label": args.label,
        "claims": Claim.objects.count(),
        "public_claims": Claim.objects.public().count(),
        "machine": machine(),
    }
    set_unindexed(False)
    report["search"] = measure(search_page, SEARCH_QUERIES, args.rounds)
    # Not part of the target: the public list and the API also count the
    # matches for their page links; measured so the figure is known.
    report["search_count"] = measure(search_count, SEARCH_QUERIES, args.rounds)
    report["similar"] = measure(similar, SIMILAR_TEXTS, args.rounds)
    report["plans"] = {
        "search": search_plans(SEARCH_QUERIES[0]),
        "search_broad": search_plans(SEARCH_QUERIES[3]),
        "search_two_readings": search_plans("reforma de pensiones"),
        "similar": similar_plans(SIMILAR_TEXTS[0]),
    }
    report["evaluation_set"] = evaluation_at_scale()
    set_unindexed(True)
    # The indexed runs above warmed the table into memory; the baseline reads it.
    report["search_unindexed"] = measure(
        search_page_unindexed, SEARCH_QUERIES, args.baseline_rounds, warm=False
    )
    report["similar_unindexed"] = measure(similar, SIMILAR_TEXTS, args.baseline_rounds, warm=False)
    set_unindexed(False)
    for name in ("search", "similar"):
        indexed, unindexed = report[name], report[f"{name}_unindexed"]
        report[f"{name}_speedup"] = {
            "p50": round(unindexed["p50_ms"] / indexed["p50_ms"], 1),
            "p95": round(unindexed["p95_ms"] / indexed["p95_ms"], 1),
        }
    print(json.dumps({k: v for k, v in report.items() if k != "plans"}, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
