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


def test_topics_and_ratings_are_named_in_the_language_of_the_page():
    from django.utils import translation

    from claims.models import Topic

    topic = Topic.objects.create(name="Border security", name_es="Seguridad fronteriza", slug="b")
    bare = Topic.objects.create(name="Crime", slug="crime")
    false = Rating.objects.get(slug="false", scale__is_default=True)
    assert (str(topic), str(bare), str(false)) == ("Border security", "Crime", "False")
    with translation.override("es"):
        # Without a Spanish name the English one is still a name.
        assert (str(topic), str(bare), str(false)) == ("Seguridad fronteriza", "Crime", "Falso")


def test_a_workflow_step_reads_as_a_sentence_in_the_language_of_the_page(researcher, editor):
    import datetime

    from django.utils import translation

    from claims import services
    from tests.factories import make_in_review

    editor.first_name, editor.last_name = "Ana", "Quispe"
    editor.save()
    claim = make_in_review(researcher)
    services.claim_request_changes(
        claim=claim, by=editor, comment="The second source  does not\nsay 150."
    )
    step = claim.transitions.get(action="request_changes")
    step.at = datetime.datetime(2026, 12, 3, 15, tzinfo=datetime.UTC)
    assert str(step) == (
        "Sent back for changes by Ana Quispe on Dec. 3, 2026: The second source does not say 150."
    )
    with translation.override("es"):
        assert str(step) == (
            "Devuelta para cambios por Ana Quispe el 3 de diciembre de 2026: "
            "The second source does not say 150."
        )
    created = claim.transitions.get(action="create")
    assert str(created).startswith(f"Created by {researcher.username} on ")


def test_a_figure_is_written_without_the_columns_padding():
    from decimal import Decimal

    from claims.models.content import plain_decimal

    assert str(plain_decimal(Decimal("200.0000"))) == "200"
    assert str(plain_decimal(Decimal("30.5000"))) == "30.5"
    assert str(plain_decimal(Decimal("0.0000"))) == "0"
    assert str(plain_decimal(Decimal("1234567.1250"))) == "1234567.125"
