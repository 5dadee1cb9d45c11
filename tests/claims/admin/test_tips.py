"""Triage in the admin (claims/admin/tips.py): the queue, its actions, and the
most-asked block on the admin home."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimStatus, Tip, TipStatus
from claims.services.tips import tip_submit

pytestmark = pytest.mark.django_db


def send(text):
    return tip_submit(text=text).tip


def test_the_queue_filters_by_status_and_shows_weekly_counts(client, researcher):
    for n in range(3):
        send(f"The Rimac river dried up completely this summer {n}")
    send("Lima's metro line 2 opened ten new stations")
    client.force_login(researcher)
    page = client.get(reverse("admin:claims_tip_changelist"), {"status__exact": "new"})
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("asked 3 times this week") == 3
    assert "asked 1 time this week" in body
    spam_only = client.get(reverse("admin:claims_tip_changelist"), {"status__exact": "spam"})
    assert "Rimac" not in spam_only.content.decode()


def test_the_group_action_turns_tips_into_a_draft_claim(client, researcher):
    first = send("The Rimac river dried up completely this summer")
    send("the rímac river has dried up completely this summer!")
    client.force_login(researcher)
    response = client.post(
        reverse("admin:claims_tipgroup_changelist"),
        {"action": "turn_into_claim", "_selected_action": [first.group_id]},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    assert claim.status == ClaimStatus.DRAFT
    assert set(Tip.objects.values_list("status", flat=True)) == {TipStatus.CLAIMED}


def test_the_spam_action_marks_tips(client, researcher):
    tip = send("Buy cheap watches at example.com")
    client.force_login(researcher)
    client.post(
        reverse("admin:claims_tip_changelist"),
        {"action": "mark_spam", "_selected_action": [tip.pk]},
    )
    tip.refresh_from_db()
    assert tip.status == TipStatus.SPAM and tip.triaged_by == researcher


def test_the_admin_home_shows_the_most_asked_claims_of_the_week(client, researcher):
    for n in range(14):
        send(f"The Rimac river dried up completely this summer {n}")
    client.force_login(researcher)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Most asked by readers this week" in body
    assert "asked 14 times this week" in body
    spanish = client.get("/es/admin/").content.decode()
    assert "consultada 14 veces esta semana" in spanish


def test_tips_cannot_be_added_or_deleted_in_the_admin(client, superuser):
    tip = send("A claim")
    client.force_login(superuser)
    assert client.get(reverse("admin:claims_tip_add")).status_code == 403
    assert client.get(reverse("admin:claims_tip_delete", args=[tip.pk])).status_code == 403


def test_filtering_groups_by_a_tip_status_keeps_the_counts_right(client, researcher):
    tips = [send(f"The Rimac river dried up completely this summer {n}") for n in range(3)]
    client.force_login(researcher)
    page = client.get(reverse("admin:claims_tipgroup_changelist"), {"tips__status": "new"})
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("asked 3 times this week") == 1, tips
