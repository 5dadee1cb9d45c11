"""bench/vector_index_bench.py's backfill-command step: the command's code path
with a stand-in embedder (BENCHMARKS.md, "The vector index at a million")."""

import argparse
import json
from io import StringIO

import numpy
import pytest
from django.core.management import call_command

from bench.vector_index_bench import HashEmbedder, backfill_command
from claims.models import Appearance, AppearanceEmbedding, Claim, ClaimEmbedding

pytestmark = pytest.mark.django_db


def run(tmp_path, **options):
    defaults = {"stub": True, "claims": None, "quotes": None, "batch_size": 8}
    args = argparse.Namespace(workdir=str(tmp_path), **{**defaults, **options})
    return backfill_command(args)


def test_the_stub_embeds_every_claim_and_quote_as_the_command_would(tmp_path, researcher):
    call_command("generate_newsroom", claims=30, stdout=StringIO())
    result = run(tmp_path)
    assert result["embedder"] == HashEmbedder.name
    assert result["claims"]["rows_written"] == Claim.objects.count() == 30
    assert result["quotes"]["rows_written"] == Appearance.objects.count()
    halves = result["claims"]["halves"]
    assert sum(half["rows"] for half in halves) == 30
    assert result["total"]["stub_embed_cpu_seconds"] <= result["total"]["cpu_seconds"]
    assert json.loads((tmp_path / "backfill-command-stub.json").read_text()) == result
    vector = numpy.frombuffer(bytes(ClaimEmbedding.objects.first().vector), dtype="<f4")
    assert vector.shape == (384,) and abs(numpy.linalg.norm(vector) - 1) < 1e-5

    again = run(tmp_path)  # nothing stale: nothing written
    assert again["claims"]["rows_written"] == again["quotes"]["rows_written"] == 0


def test_limits_cut_each_pass_to_the_first_rows(tmp_path, researcher):
    call_command("generate_newsroom", claims=30, stdout=StringIO())
    result = run(tmp_path, claims=10, quotes=0)
    first = list(Claim.objects.order_by("pk").values_list("pk", flat=True)[:10])
    assert sorted(ClaimEmbedding.objects.values_list("claim_id", flat=True)) == first
    assert "quotes" not in result and not AppearanceEmbedding.objects.exists()
