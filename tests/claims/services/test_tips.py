"""Triage (claims/services/tips.py): grouping, tip → draft claim, counts, marks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.exceptions import NotPermitted
from claims.models import ClaimStatus, Tip, TipGroup, TipStatus, Transition
from claims.services import tips as tip_services
from tests.factories import UserFactory, make_published

pytestmark = pytest.mark.django_db

PUBLISHED_TEXT = "Peru has deployed 180 national police officers to its border with Chile."


def send(text, **fields):
    return tip_services.tip_submit(text=text, **fields).tip


def test_tips_matching_the_same_published_claim_form_one_group(researcher, editor):
    claim = make_published(researcher, editor, text=PUBLISHED_TEXT)
    first = send("Peru sent 180 police officers to the Chile border")
    second = send("Has Peru deployed 180 police officers at the border with Chile?")
    assert first.group == second.group
    assert first.group.claim == claim
    assert {first.status, second.status} == {TipStatus.ANSWERED}


def test_tips_that_match_each_other_but_no_claim_are_grouped(db):
    first = send("The Rimac river dried up completely this summer")
    second = send("the rímac river has dried up completely this summer!")
    other = send("Lima's metro line 2 opened ten new stations")
    assert first.group == second.group
    assert other.group != first.group
    assert first.group.claim is None and first.status == TipStatus.NEW


def test_spam_is_not_grouped_with_and_not_counted(db):
    spam = send("The Rimac river dried up completely this summer")
    tip_services.tips_set_status(
        tips=[spam], status=TipStatus.SPAM, by=UserFactory(is_superuser=True)
    )
    later = send("The Rimac river dried up completely this summer")
    assert later.group != spam.group
    assert TipGroup.objects.with_counts().get(pk=spam.group_id).asked_total == 0


def test_counts_say_how_often_a_claim_was_asked_this_week(db):
    texts = [f"The Rimac river dried up completely this summer ({n})" for n in range(4)]
    tips = [send(text) for text in texts]
    Tip.objects.filter(pk=tips[0].pk).update(received_at=timezone.now() - timedelta(days=9))
    send("Lima's metro line 2 opened ten new stations")
    top, runner_up = TipGroup.objects.most_asked()
    assert (top.asked_recently, top.asked_total) == (3, 4)
    assert runner_up.asked_recently == 1


def test_a_group_becomes_one_draft_claim_with_the_readers_words_as_context(researcher):
    first = send("The Rimac river dried up completely this summer", seen_at="WhatsApp")
    second = send("the rímac river has dried up completely this summer!")
    claim = tip_services.tip_to_claim(tips=[first, second], by=researcher)
    assert claim.status == ClaimStatus.DRAFT
    assert claim.text == first.text
    assert claim.created_by == researcher
    assert first.text in claim.context and second.text in claim.context
    assert "WhatsApp" in claim.context
    assert Transition.objects.filter(claim=claim).count() == 1  # logged like any claim
    group = TipGroup.objects.get(claim=claim)
    assert group.pk == first.group_id  # the whole group became the claim
    assert set(group.tips.values_list("status", flat=True)) == {TipStatus.CLAIMED}
    # A later tip asking the same thing joins the group, to hear of the publication.
    assert send("Rimac river dried up completely this summer?").group == group


def test_part_of_a_group_becomes_a_claim_in_a_group_of_its_own(researcher):
    first = send("The Rimac river dried up completely this summer")
    second = send("the rímac river has dried up completely this summer!")
    claim = tip_services.tip_to_claim(tips=[second], by=researcher)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.group.claim == claim
    assert first.group != second.group and first.status == TipStatus.NEW


def test_only_the_newsroom_turns_tips_into_claims(db):
    tip = send("The Rimac river dried up completely this summer")
    with pytest.raises(NotPermitted):
        tip_services.tip_to_claim(tips=[tip], by=UserFactory())
    assert Tip.objects.get().status == TipStatus.NEW


def test_spam_cannot_become_a_claim(researcher):
    tip = send("Buy cheap watches")
    tip_services.tips_set_status(tips=[tip], status=TipStatus.SPAM, by=researcher)
    with pytest.raises(tip_services.TipRefused):
        tip_services.tip_to_claim(tips=[tip], by=researcher)


def test_a_tip_joining_a_group_turned_into_a_claim_waits_on_it(researcher):
    first = send("The Rimac river dried up completely this summer")
    claim = tip_services.tip_to_claim(tips=[first], by=researcher)
    later = send("the rímac river has dried up completely this summer!")
    assert later.group.claim == claim
    assert later.status == TipStatus.CLAIMED
    assert list(later.answers.all()) == []  # a draft is never an answer
