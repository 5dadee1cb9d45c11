"""The reads appended to claims/selectors.py for the reader site, and the
chart helpers in claims/site/rendering/charts.py."""

from decimal import Decimal

import pytest

from claims import services
from claims.models import Claim, Rating, RatingScale
from claims.selectors import (
    merged_claim_target,
    public_figure_groups,
    public_sources,
    rating_distribution,
)
from claims.site.rendering.charts import figure_chart, figure_text
from tests.claims.site.builders import merge_into, publish_claim
from tests.factories import SourceFactory, make_draft

pytestmark = pytest.mark.django_db


def add_figure(claim, by, source, value, *, qualifier="exact", quantity="Workers", unit="people"):
    return services.evidence_create(
        claim=claim,
        by=by,
        source=source,
        excerpt=f"{value}",
        stance="context",
        figure_quantity=quantity,
        figure_qualifier=qualifier,
        figure_value=Decimal(value),
        figure_unit=unit,
    )


def test_rating_distribution_lists_every_default_level_and_counts_public_claims_only(
    researcher, editor
):
    publish_claim(researcher, editor, rating_slug="false")
    publish_claim(researcher, editor, rating_slug="false")
    make_draft(researcher)
    rows = {row.rating.slug: row.count for row in rating_distribution()}
    assert rows["false"] == 2 and rows["true"] == 0
    assert list(rows) == list(
        Rating.objects.filter(scale__is_default=True)
        .order_by("order")
        .values_list("slug", flat=True)
    )


def test_rating_distribution_shows_other_scales_only_when_used(researcher, editor):
    other = RatingScale.objects.create(name="Old scale", best_value=2, worst_value=1)
    Rating.objects.create(
        scale=other, slug="old", label="Old", label_es="Viejo", definition="d",
        definition_es="d", value=1, colour="#000000",
    )  # fmt: skip
    assert "old" not in {row.rating.slug for row in rating_distribution()}


def test_figure_groups_need_two_figures_and_count_each_once(researcher, editor):
    sources = [SourceFactory() for _ in range(3)]
    parent = publish_claim(researcher, editor, text="Parent", sources=sources[:2])
    child = services.claim_create(by=researcher, text="Child", parent=parent)
    services.appearance_create(claim=child, by=researcher, source=sources[0], quote="q")
    add_figure(child, researcher, sources[0], 30, qualifier="about")
    add_figure(child, researcher, sources[1], 300, qualifier="at_least")
    add_figure(child, researcher, sources[2], 99, quantity="Something else")
    services.verdict_create(
        claim=child, by=researcher, rating=Rating.objects.get(slug="true"),
        conclusion="c", explanation="e",
    )  # fmt: skip
    assert public_figure_groups(parent) == []  # the sub-claim is not public yet
    services.claim_submit(claim=child, by=researcher)
    services.claim_publish(claim=child, by=editor)
    (group,) = public_figure_groups(Claim.objects.get(pk=child.pk))
    assert [f.figure_value for f in group.figures] == [300, 30]
    assert (group.quantity, group.unit) == ("Workers", "people")
    # The parent shows its public sub-claim's figures; its own pending one waits.
    pending = add_figure(parent, researcher, sources[2], 150)
    (group,) = public_figure_groups(Claim.objects.get(pk=parent.pk))
    assert pending not in group.figures
    assert [f.figure_value for f in group.figures] == [300, 30]


def test_merged_claim_target_leads_only_from_a_once_public_duplicate_to_a_public_page(
    researcher, editor
):
    final = publish_claim(researcher, editor, text="Final")
    duplicate = merge_into(publish_claim(researcher, editor, text="Duplicate"), final)
    assert merged_claim_target(slug=duplicate.slug) == final
    assert merged_claim_target(pk=duplicate.pk) == final
    assert merged_claim_target(slug=final.slug) is None
    assert merged_claim_target(slug="no-such-slug") is None
    # A duplicate that never had a public page has no address worth keeping.
    draft = merge_into(make_draft(researcher, text="Never published"), final)
    assert merged_claim_target(slug=draft.slug) is None


def test_public_sources_are_those_a_public_claim_cites(researcher, editor):
    cited = SourceFactory()
    publish_claim(researcher, editor, sources=[cited, SourceFactory()])
    draft = make_draft(researcher)
    only_draft = SourceFactory()
    services.appearance_create(claim=draft, by=researcher, source=only_draft, quote="q")
    assert cited in public_sources() and only_draft not in public_sources()


def test_figure_labels_carry_the_qualifier(researcher, editor):
    claim = publish_claim(researcher, editor)
    source = SourceFactory()
    about = add_figure(claim, researcher, source, "30.5", qualifier="about")
    exact = add_figure(claim, researcher, source, "1500", qualifier="exact")
    more = add_figure(claim, researcher, source, 7, qualifier="more_than", unit="")
    assert figure_text(about) == "about 30.5 people"
    assert figure_text(exact) == "1,500 people"
    assert figure_text(more) == "more than 7"


def test_figure_chart_bars_start_at_zero_and_scale_to_the_largest(researcher, editor):
    claim = publish_claim(researcher, editor)
    source = SourceFactory()
    items = [add_figure(claim, researcher, source, v) for v in (200, 50)]
    from claims.selectors import FigureGroup

    chart = figure_chart(FigureGroup("Workers", "people", items), 1, "en")
    assert [row["bar_width"] for row in chart["rows"]] == [320.0, 80.0]
    assert chart["height"] == 2 * 64 and chart["chart_id"] == "figures-1"


def test_figures_are_written_the_way_each_language_writes_numbers(researcher, editor):
    from django.utils import translation

    claim = publish_claim(researcher, editor)
    source = SourceFactory()
    share = add_figure(claim, researcher, source, "5", unit="%")
    crowd = add_figure(claim, researcher, source, "1500.5", unit="")
    with translation.override("en"):
        assert (figure_text(share), figure_text(crowd)) == ("5%", "1,500.5")
    with translation.override("es"):
        assert (figure_text(share), figure_text(crowd)) == ("5 %", "1\xa0500,5")
