"""Benchmark the vector index file (claims/search/ann.py) against the exact scan.

Four steps, each printing JSON (see BENCHMARKS.md, "Semantic claim matching",
for the commands and the figures):

``backfill`` (Django, a generated newsroom): embeds the first ``--real``
claims with the real embedder through `embed_claims` (time, peak memory),
saves those real vectors to ``--workdir``/real.npy, then stores a
**synthetic** vector for every other claim (see `derive`), so the newsroom's
every claim has a vector without embedding all of them.

``backfill-command`` (Django, a generated newsroom): what `manage.py
embed_claims` does (its querysets, `embed_claims` then `embed_quotes`,
batches of 64) with the configured embedder, or with `--stub`, a
`HashEmbedder` that costs about nothing, so the command's own database side
can be timed at a million claims; `--claims`/`--quotes` limit a run to the
first rows (a real embedder's sample). Time, CPU (this process and its
PostgreSQL backend), peak memory, rows written, table sizes, and each pass's
first and second half, written to ``--workdir``/backfill-command-*.json.

``ann`` (no database): derives ``--total`` synthetic vectors from real.npy,
builds a usearch index of them as `build_vector_index` does (same dtype,
connectivity, expansion), saves it, then in a fresh process maps it
(`view=True`) and measures memory, ANN query latency (the matcher's k) and
recall@10 against an exact numpy scan of the same vectors in the same run.

``lookup`` (Django): `build_vector_index` on the newsroom, then
`similar_claims` for every wording of the evaluation set with the index file
and with the exact scan, timing its parts (embedding the wording, the vector
search, reading stored vectors, the word candidates).

How synthetic vectors are made (`derive`): each is
normalise(real[i] + 0.35 * real[j] + N(0, 0.03² I)) for random real rows i, j:
near the real wordings' region of the sphere, so neighbourhoods are as
crowded as real ones, but not real sentences.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import numpy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAIRS = ROOT / "tests/claims/search/semantic_pairs.json"
DIMENSIONS = 384
COSINE_POSSIBLE = 0.92  # CLAIM_MATCH_COSINE_POSSIBLE's default


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(samples_ms) -> dict:
    return {
        "samples": len(samples_ms),
        "p50_ms": round(statistics.median(samples_ms), 3),
        "p95_ms": round(percentile(samples_ms, 0.95), 3),
    }


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


def memory() -> dict:
    """This process's resident memory now (anonymous and file-backed, the
    latter shared with every process mapping the same file) and its peak."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    kb = {k: int(status[k].split()[0]) for k in ("VmRSS", "RssAnon", "RssFile", "VmHWM")}
    return {k + "_mb": round(v / 1024, 1) for k, v in kb.items()}


def derive(real: numpy.ndarray, count: int, seed: int) -> numpy.ndarray:
    rng = numpy.random.default_rng(seed)
    vectors = numpy.empty((count, real.shape[1]), dtype=numpy.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        chunk = real[rng.integers(0, len(real), n)] + 0.35 * real[rng.integers(0, len(real), n)]
        chunk += rng.normal(0, 0.03, chunk.shape).astype(numpy.float32)
        chunk /= numpy.linalg.norm(chunk, axis=1, keepdims=True)
        vectors[start : start + n] = chunk
    return vectors


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-used-for-anything-else")
    import django

    django.setup()


# --- backfill ---------------------------------------------------------------------------


def backfill(args) -> dict:
    django_setup()
    from django.db import connection
    from django.utils import timezone

    from claims.models import Claim, ClaimEmbedding
    from claims.search import embedding

    embedder = embedding.get_embedder()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    result = {"step": "backfill", "machine": machine(), "claims": Claim.objects.count()}
    sample = list(Claim.objects.only("pk", "text").order_by("pk")[: args.real])
    started, cpu = time.perf_counter(), time.process_time()
    done = embedding.embed_claims(sample, batch_size=64)
    result["embed_claims_real"] = {
        "claims": len(sample),
        "embedded": done,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    per_claim = result["embed_claims_real"]["seconds"] / max(1, len(sample))
    result["embed_claims_real"]["extrapolated_1m_hours"] = round(per_claim * 1e6 / 3600, 1)
    rows = ClaimEmbedding.objects.filter(embedder=embedder.name, claim__in=sample)
    real = numpy.vstack(
        [numpy.frombuffer(bytes(v), dtype="<f4") for v in rows.values_list("vector", flat=True)]
    )
    numpy.save(workdir / "real.npy", real)
    # Every other claim: a synthetic vector, written with COPY.
    # The digest of the claim's wording, so the matcher treats the synthetic
    # vector as current and scores it (it would skip a stale one).
    rest = list(
        Claim.objects.exclude(embeddings__embedder=embedder.name)
        .order_by("pk")
        .values_list("pk", "text")
    )
    vectors = derive(real, len(rest), seed=1)
    started = time.perf_counter()
    table = ClaimEmbedding._meta.db_table
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {table} (claim_id, embedder, digest, vector, updated_at) FROM STDIN"  # noqa: S608
        ) as copy,
    ):
        for (pk, text), vector in zip(rest, vectors, strict=True):
            digest = embedding.wording_digest(text)
            copy.write_row((pk, embedder.name, digest, vector.tobytes(), now))
    result["synthetic_rows"] = {
        "rows": len(rest),
        "seconds": round(time.perf_counter() - started, 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")  # noqa: S608
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        result["embedding_table_mb"] = round(cursor.fetchone()[0] / 1e6, 1)
    result["machine"]["load_average_after"] = machine()["load_average"]
    return result


# --- backfill-command -------------------------------------------------------------------


class HashEmbedder:
    """A stand-in embedder for timing everything around the model: a
    deterministic unit vector per text from a hash of it (about 2 µs a text),
    nothing like a sentence embedding. `--stub` sets `VERAZ_EMBEDDER` to it."""

    name = "bench-hash-stub/384"
    cpu_seconds = 0.0  # spent in embed(), to show it is negligible

    def embed(self, texts):
        started = time.process_time()
        raw = b"".join(hashlib.shake_128(text.encode()).digest(DIMENSIONS) for text in texts)
        vectors = numpy.frombuffer(raw, dtype=numpy.int8).reshape(len(texts), DIMENSIONS)
        vectors = vectors.astype(numpy.float32)
        vectors /= numpy.linalg.norm(vectors, axis=1, keepdims=True)
        self.cpu_seconds += time.process_time() - started
        return vectors


def backend_cpu_seconds(connection) -> float | None:
    """CPU used so far by this connection's PostgreSQL backend (same machine
    only: read from /proc), or None where it cannot be read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


STUB_EMBEDDER = "bench.vector_index_bench.HashEmbedder"


def backfill_command(args) -> dict:
    django_setup()
    from django.test.utils import override_settings

    with override_settings(VERAZ_EMBEDDER=STUB_EMBEDDER) if args.stub else nullcontext():
        return _backfill_command(args)


def _backfill_command(args) -> dict:
    from django.db import connection

    from claims.models import Appearance, AppearanceEmbedding, Claim, ClaimEmbedding
    from claims.search import embedding

    embedder = embedding.get_embedder()
    result = {
        "step": "backfill-command",
        "machine": machine(),
        "database": connection.vendor,
        "embedder": embedder.name,
        "claims": Claim.objects.count(),
        "appearances": Appearance.objects.count(),
        "batch_size": args.batch_size,
    }
    # The command's querysets (claims/management/commands/embed_claims.py),
    # cut to the first rows when a limit is given.
    claims = Claim.objects.only("pk", "text").order_by("pk")
    appearances = Appearance.objects.only("pk", "quote").order_by("pk")
    passes = [
        ("claims", embedding.embed_claims, claims, args.claims, ClaimEmbedding),
        ("quotes", embedding.embed_quotes, appearances, args.quotes, AppearanceEmbedding),
    ]
    started, cpu = time.perf_counter(), time.process_time()
    backend_cpu = backend_cpu_seconds(connection)
    for name, embed_all, rows, limit, model in passes:
        if limit == 0:
            continue
        if limit is not None:
            rows = rows[:limit]
        before = model.objects.filter(embedder=embedder.name).count()
        result[name] = _timed_pass(
            embed_all, rows.iterator(chunk_size=2000), args.batch_size, connection
        )
        result[name]["rows_written"] = model.objects.filter(embedder=embedder.name).count() - before
    result["total"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if backend_cpu is not None:
        result["total"]["postgresql_backend_cpu_seconds"] = round(
            backend_cpu_seconds(connection) - backend_cpu, 1
        )
    if args.stub:
        result["total"]["stub_embed_cpu_seconds"] = round(embedder.cpu_seconds, 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (ClaimEmbedding, AppearanceEmbedding):
                table = model._meta.db_table
                cursor.execute(
                    "SELECT pg_total_relation_size(%s), pg_relation_size(%s)", [table, table]
                )
                total, heap = cursor.fetchone()
                result[f"{table}_mb"] = {
                    "with_indexes_and_toast": round(total / 1e6, 1),
                    "heap": round(heap / 1e6, 1),
                }
    result["machine"]["load_average_after"] = machine()["load_average"]
    out = Path(args.workdir) / f"backfill-command-{'stub' if args.stub else 'embedder'}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    return result


def _timed_pass(embed_all, rows, batch_size, connection) -> dict:
    """One pass of the command, with the time and CPU at each batch, to
    compare its first half with its second (is the rate steady?)."""
    marks = []
    started, cpu = time.perf_counter(), time.process_time()
    backend_cpu = backend_cpu_seconds(connection)

    def progress(done: int) -> None:
        marks.append((done, time.perf_counter() - started, time.process_time() - cpu))

    done = embed_all(rows, batch_size=batch_size, progress=progress)
    timing = {
        "embedded": done,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "max_rss_mb_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if backend_cpu is not None:
        timing["postgresql_backend_cpu_seconds"] = round(
            backend_cpu_seconds(connection) - backend_cpu, 1
        )
    if done:
        timing["ms_per_row"] = round(timing["seconds"] * 1000 / done, 3)
        timing["cpu_ms_per_row"] = round(timing["cpu_seconds"] * 1000 / done, 3)
        half = next(mark for mark in marks if mark[0] >= done / 2)
        last = marks[-1]
        second = (last[0] - half[0], last[1] - half[1], last[2] - half[2])
        timing["halves"] = [
            {
                "rows": count,
                "seconds": round(wall, 1),
                "cpu_seconds": round(used, 1),
                "cpu_ms_per_row": round(used * 1000 / count, 3) if count else None,
            }
            for count, wall, used in (half, second)
        ]
    return timing


# --- ann --------------------------------------------------------------------------------


def ann(args) -> dict:
    from usearch.index import Index

    workdir = Path(args.workdir)
    real = numpy.load(workdir / "real.npy")
    result = {"step": "ann", "machine": machine(), "real_vectors": len(real)}
    started = time.perf_counter()
    vectors = derive(real, args.total, seed=2)
    result["derive_seconds"] = round(time.perf_counter() - started, 1)
    vectors_path = workdir / "vectors.f32"
    vectors.tofile(vectors_path)
    dtype = os.environ.get("VERAZ_VECTOR_INDEX_DTYPE", "i8")
    index = Index(
        ndim=DIMENSIONS,
        metric="cos",
        dtype=dtype,
        connectivity=int(os.environ.get("VERAZ_VECTOR_INDEX_CONNECTIVITY", "16")),
        expansion_search=int(os.environ.get("VERAZ_VECTOR_INDEX_EXPANSION", "64")),
    )
    keys = numpy.arange(1, args.total + 1, dtype=numpy.uint64)
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, args.total, 50_000):
        index.add(keys[start : start + 50_000], vectors[start : start + 50_000], threads=0)
    result["build"] = {
        "vectors": args.total,
        "dtype": dtype,
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu, 1),
    }
    index_path = workdir / "vectors.usearch"
    index.save(str(index_path))
    result["build"]["file_mb"] = round(index_path.stat().st_size / 1e6, 1)
    result["build"]["max_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    del index, vectors
    # Queries: the evaluation set's new wordings (real sentences, none in the
    # index), and noisy copies of stored vectors.
    pairs = json.loads(PAIRS.read_text())["pairs"]
    texts = list(dict.fromkeys(p["new"] for p in pairs))[: args.queries // 2]
    queries = numpy.vstack([_embed(texts), derive(real, args.queries - len(texts), seed=3)]).astype(
        numpy.float32
    )
    numpy.save(workdir / "queries.npy", queries)
    query = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "ann-query", "--workdir", str(workdir)],
        capture_output=True,
        text=True,
        check=True,
    )
    result["query"] = json.loads(query.stdout)
    result["machine"]["load_average_after"] = machine()["load_average"]
    return result


def _embed(texts):
    django_setup()
    from claims.search import embedding

    return embedding.get_embedder().embed(texts)


def ann_query(args) -> dict:
    """In a fresh process: map the file, query it and the exact scan."""
    from usearch.index import Index

    workdir = Path(args.workdir)
    queries = numpy.load(workdir / "queries.npy")
    result = {"memory_before_open": memory()}
    started = time.perf_counter()
    index = Index.restore(str(workdir / "vectors.usearch"), view=True)
    result["open_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["memory_after_open"] = memory()
    k_matcher = 100  # CLAIM_MATCH_VECTOR_CANDIDATES (50) x ann.OVERSAMPLE (2)
    for vector in queries[:10]:  # warm-up: the graph's top layers into memory
        index.search(vector, k_matcher, threads=1)
    searches = {}
    for expansion in (64, 128, 256):  # 64 is VERAZ_VECTOR_INDEX_EXPANSION's default
        index.expansion_search = expansion
        for k in (10, k_matcher):
            times, keys = [], []
            for vector in queries:
                started = time.perf_counter()
                matches = index.search(vector, k, threads=1)
                times.append((time.perf_counter() - started) * 1000)
                keys.append([int(key) for key in matches.keys])
            searches[(expansion, k)] = (summary(times), keys)
    result["memory_after_queries"] = memory()
    matrix = numpy.fromfile(workdir / "vectors.f32", dtype=numpy.float32).reshape(-1, DIMENSIONS)
    result["memory_with_exact_matrix"] = memory()
    exact_ms, exact_top, exact_close = [], [], []
    for vector in queries:
        started = time.perf_counter()
        scores = matrix @ vector
        top = numpy.argpartition(-scores, k_matcher)[:k_matcher]
        top = top[numpy.argsort(-scores[top])]
        exact_ms.append((time.perf_counter() - started) * 1000)
        exact_top.append([int(i) + 1 for i in top[:10]])
        exact_close.append({int(i) + 1 for i in top if scores[i] >= COSINE_POSSIBLE})
    result["exact_scan_k100"] = summary(exact_ms)
    result["queries_with_a_neighbour_at_possible"] = sum(1 for c in exact_close if c)
    for (expansion, k), (timing, keys) in searches.items():
        # recall@10: the exact ten nearest among the index's first ten; for
        # k=100, among its hundred candidates, which the matcher scores again
        # from the stored vectors (so this is the matcher's recall@10).
        recall = [
            len(set(exact) & set(found[: 10 if k == 10 else k])) / 10
            for exact, found in zip(exact_top, keys, strict=True)
        ]
        # Of the exact neighbours at or above the "possible" cosine (those the
        # matcher can suggest), the share among the index's candidates.
        close = [
            len(c & set(found)) / len(c) for c, found in zip(exact_close, keys, strict=True) if c
        ]
        half = len(recall) // 2
        result[f"ann_ef{expansion}_k{k}"] = {
            **timing,
            "recall_at_10": round(statistics.mean(recall), 4),
            "recall_at_10_real_sentences": round(statistics.mean(recall[:half]), 4),
            "recall_at_10_noisy_copies": round(statistics.mean(recall[half:]), 4),
            "recall_at_10_min": min(recall),
            "recall_above_possible_cosine": round(statistics.mean(close), 4) if close else None,
            "ratio_exact_p95_over_ann_p95": round(
                result["exact_scan_k100"]["p95_ms"] / timing["p95_ms"], 1
            ),
        }
    return result


# --- lookup -----------------------------------------------------------------------------


class Timer:
    def __init__(self):
        self.ms = 0.0

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self.ms += (time.perf_counter() - started) * 1000
            return self._timed_iteration(result) if inspect.isgenerator(result) else result

        return timed

    def _timed_iteration(self, generator):
        """A generator's work happens as it is iterated: time each step."""
        while True:
            started = time.perf_counter()
            try:
                item = next(generator)
            except StopIteration:
                return
            finally:
                self.ms += (time.perf_counter() - started) * 1000
            yield item


def lookup(args) -> dict:
    django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from claims.models import Claim, ClaimEmbedding
    from claims.search import ann as ann_module
    from claims.search import embedding, matching

    embedder = embedding.get_embedder()
    result = {
        "step": "lookup",
        "machine": machine(),
        "database": connection.vendor,
        "claims": Claim.objects.count(),
        "vectors": ClaimEmbedding.objects.filter(embedder=embedder.name).count(),
    }
    path = Path(args.workdir) / "newsroom.usearch"
    with override_settings(VERAZ_VECTOR_INDEX_PATH=str(path)):
        started = time.perf_counter()
        call_command("build_vector_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
        result["build_vector_index_seconds"] = round(time.perf_counter() - started, 1)
        result["build_vector_index_max_rss_mb"] = memory()["VmHWM_mb"]
        result["index_file_mb"] = round(path.stat().st_size / 1e6, 1)
    pairs = json.loads(PAIRS.read_text())["pairs"]
    groups = {
        # Real sentences, most of them far from the generated claims.
        "evaluation_wordings": [(p["new"], p["language"]) for p in pairs],
        # Wordings of claims in the newsroom (really embedded ones): each has
        # its own vector at cosine 1 and neighbours, so the scoring is exercised.
        "newsroom_wordings": list(
            Claim.objects.order_by("pk").values_list("text", "language")[: args.real : 20]
        ),
    }
    parts = {
        "embed": (embedder, "embed"),
        "vector_nearest": None,
        "stored_cosines": None,
        "word_candidates_postgresql": (matching, "_candidates_postgresql"),
    }
    for mode, minimum in (("index_file", 1), ("exact_scan", 10**9)):
        with override_settings(
            VERAZ_VECTOR_INDEX_PATH=str(path), VERAZ_VECTOR_INDEX_MIN_VECTORS=minimum
        ):
            search_class = (
                embedding.IndexedSearch if mode == "index_file" else embedding.VectorIndex
            )
            parts["vector_nearest"] = (search_class, "nearest")
            parts["stored_cosines"] = (search_class, "cosines")
            started = time.perf_counter()
            matching.similar_claims("warm-up: the exact scan loads every vector", limit=10)
            result[f"{mode}_first_lookup_ms"] = round((time.perf_counter() - started) * 1000, 1)
            result[mode] = {
                group: _timed_lookups(matching, texts, parts) for group, texts in groups.items()
            }
            result[mode]["memory"] = memory()
    result["oversample"] = ann_module.OVERSAMPLE
    result["machine"]["load_average_after"] = machine()["load_average"]
    return result


def _timed_lookups(matching, texts, parts) -> dict:
    """Each lookup once to warm up, then once timed, with its parts."""
    for text, language in texts:
        matching.similar_claims(text, language=language, limit=10)
    totals, split, found = [], {name: [] for name in parts}, 0
    for text, language in texts:
        timers = {name: Timer() for name in parts}
        originals = {name: getattr(*target) for name, target in parts.items()}
        for name, (owner, attribute) in parts.items():
            setattr(owner, attribute, timers[name].wrap(originals[name]))
        try:
            started = time.perf_counter()
            found += bool(matching.similar_claims(text, language=language, limit=10))
            totals.append((time.perf_counter() - started) * 1000)
        finally:
            for name, (owner, attribute) in parts.items():
                setattr(owner, attribute, originals[name])
        for name, timer in timers.items():
            split[name].append(timer.ms)
    rest = [total - sum(split[name][n] for name in parts) for n, total in enumerate(totals)]
    return {
        "lookups_with_a_match": found,
        "similar_claims": summary(totals),
        **{name: summary(values) for name, values in split.items()},
        "scoring_and_rest": summary(rest),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "step", choices=["backfill", "backfill-command", "ann", "ann-query", "lookup"]
    )
    parser.add_argument("--workdir", default="/tmp/veraz-vector-bench")
    parser.add_argument("--real", type=int, default=2000, help="backfill: claims embedded.")
    parser.add_argument("--total", type=int, default=1_000_000, help="ann: vectors indexed.")
    parser.add_argument("--queries", type=int, default=200, help="ann: queries.")
    parser.add_argument(
        "--stub", action="store_true", help="backfill-command: embed with HashEmbedder."
    )
    parser.add_argument(
        "--claims", type=int, help="backfill-command: the first claims only (default all)."
    )
    parser.add_argument(
        "--quotes", type=int, help="backfill-command: the first quotes only (0: none)."
    )
    parser.add_argument("--batch-size", type=int, default=64, help="backfill-command (64).")
    args = parser.parse_args()
    step = {
        "backfill": backfill,
        "backfill-command": backfill_command,
        "ann": ann,
        "ann-query": ann_query,
        "lookup": lookup,
    }
    print(json.dumps(step[args.step](args), indent=1))


if __name__ == "__main__":
    main()
