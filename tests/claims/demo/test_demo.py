"""The demo newsroom: idempotent, complete, and every quote traceable to the seeds."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims.demo import SEEDS_DIR
from claims.models import Appearance, Claim, ClaimStatus, Correction, Evidence

pytestmark = pytest.mark.django_db


def shared_seeds_dir() -> Path | None:
    """The seed reports as the project received them (../shared/seeds/ beside the checkout)."""
    candidates = [
        os.environ.get("VERAZ_SEEDS_DIR"),
        settings.BASE_DIR.parent / "shared" / "seeds",
        Path("/work/shared/seeds"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "README.md").is_file():
            return Path(candidate)
    return None


def seed_texts() -> list[str]:
    directory = shared_seeds_dir() or SEEDS_DIR
    texts = [p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))]
    assert len(texts) == 2
    return texts


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"claims", "sources", "auth"}
    }


def test_load_demo_twice_gives_the_same_row_counts():
    call_command("load_demo", stdout=StringIO())
    first = row_counts()
    call_command("load_demo", stdout=StringIO())
    assert row_counts() == first
    assert first["claims.Claim"] >= 7


def test_bundled_seed_copies_match_the_shared_seeds():
    shared = shared_seeds_dir()
    if shared is None:
        pytest.skip("../shared/seeds/ is not beside this checkout; nothing to compare with")
    for bundled in SEEDS_DIR.glob("*.txt"):
        assert bundled.read_bytes() == (shared / bundled.name).read_bytes(), bundled.name


def test_every_demo_quote_and_excerpt_occurs_verbatim_in_a_seed_text():
    call_command("load_demo", stdout=StringIO())
    texts = seed_texts()
    quotes = list(Appearance.objects.values_list("quote", flat=True))
    excerpts = list(Evidence.objects.values_list("excerpt", flat=True))
    assert quotes and excerpts
    for text in quotes + excerpts:
        assert any(text in seed for seed in texts), text


def test_every_demo_figure_and_name_is_in_the_seeds():
    call_command("load_demo", stdout=StringIO())
    corpus = "\n".join(seed_texts())
    for value in Evidence.objects.exclude(figure_value=None).values_list("figure_value", flat=True):
        assert f"{value.normalize():f}" in corpus
    from claims.models import Claimant

    for name in Claimant.objects.values_list("name", flat=True):
        core = name.split(" (")[0].replace(
            "Peru's Ministry of the Interior", "Ministry of the Interior"
        )
        assert core.replace("Perú", "Peru") in corpus, name


def test_demo_covers_every_state_ratings_subclaims_correction_and_retraction():
    call_command("load_demo", stdout=StringIO())
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    ratings = set(
        Claim.objects.exclude(published_verdict=None).values_list(
            "published_verdict__rating__slug", flat=True
        )
    )
    assert len(ratings) >= 4
    assert Claim.objects.filter(parent__isnull=False).count() >= 2
    assert Correction.objects.published().count() == 1
    retracted = Claim.objects.get(status=ClaimStatus.RETRACTED)
    assert retracted.retraction_reason
    assert Claim.objects.exclude(true_as_of=None).exists()
    quantities = Evidence.objects.exclude(figure_value=None).values_list(
        "figure_quantity", flat=True
    )
    assert len(set(quantities)) == 2, "police (180 vs 200) and people stranded (30…300)"


def test_demo_logins_only_with_the_flag(settings):
    settings.DEBUG = False
    call_command("load_demo", stdout=StringIO())
    User = get_user_model()
    assert not any(u.has_usable_password() for u in User.objects.all())
    call_command("load_demo", "--with-users", stdout=StringIO())
    assert User.objects.get(username="editor").check_password("editor-demo-pass")
