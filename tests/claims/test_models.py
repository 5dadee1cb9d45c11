import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Claim, Rating, RatingScale
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_default_scale_has_seven_ratings_and_one_outcome_with_spanish_text():
    scale = RatingScale.objects.get(is_default=True)
    ratings = list(scale.ratings.order_by("order"))
    assert [r.slug for r in ratings] == [
        "true",
        "mostly-true",
        "half-true",
        "misleading",
        "unsupported",
        "mostly-false",
        "false",
        "not-checkable",
    ]
    assert [r.is_rating for r in ratings].count(False) == 1
    assert all(r.label_es and r.definition_es for r in ratings)
    assert ratings[0].value == scale.best_value and ratings[-2].value == scale.worst_value


def test_rating_value_must_lie_within_the_scale():
    scale = RatingScale.objects.get(is_default=True)
    rating = Rating(
        scale=scale,
        slug="beyond",
        label="Beyond",
        label_es="Más allá",
        definition="d",
        definition_es="d",
        value=scale.best_value + 1,
        colour="#000000",
    )
    with pytest.raises(ValidationError, match="between"):
        rating.full_clean()


def test_scale_bounds_cannot_exclude_existing_ratings():
    scale = RatingScale.objects.get(is_default=True)
    scale.best_value = 5
    with pytest.raises(ValidationError, match="outside the scale"):
        scale.full_clean()


def test_database_requires_best_above_worst():
    with transaction.atomic(), pytest.raises(IntegrityError):
        RatingScale.objects.create(name="Broken", best_value=1, worst_value=1)


def test_only_one_default_scale():
    with transaction.atomic(), pytest.raises(IntegrityError):
        RatingScale.objects.create(name="Second", best_value=5, worst_value=1, is_default=True)


def test_rating_labels_follow_the_interface_language():
    from django.utils import translation

    rating = Rating.objects.get(slug="false")
    with translation.override("es"):
        assert rating.display_label == "Falso"
    with translation.override("en"):
        assert rating.display_label == "False"


def test_claim_slugs_are_unique_in_the_database():
    user = UserFactory()
    Claim.objects.create(text="a", slug="same", created_by=user)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.create(text="b", slug="same", created_by=user)


def test_public_excludes_drafts_reviews_retractions_and_merged(researcher):
    user = UserFactory()
    draft = Claim.objects.create(text="a", slug="a", created_by=user)
    assert list(Claim.objects.public()) == []
    assert list(Claim.objects.visible_to(None)) == []
    assert list(Claim.objects.visible_to(researcher)) == [draft]
