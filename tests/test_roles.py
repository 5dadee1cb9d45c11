import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

WORKFLOW = {"submit_claim", "review_claim", "publish_claim", "retract_claim", "correct_claim"}


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_researcher_can_draft_and_submit_but_not_decide():
    perms = codenames("Researcher")
    assert {"add_claim", "change_claim", "submit_claim", "add_evidence", "add_verdict"} <= perms
    assert perms & WORKFLOW == {"submit_claim"}
    assert "delete_claim" not in perms


def test_editor_has_everything_a_researcher_has_plus_the_decisions():
    assert codenames("Researcher") < codenames("Editor")
    assert codenames("Editor") >= WORKFLOW


def test_neither_role_can_change_the_rating_scale_or_users():
    for group in ("Researcher", "Editor"):
        perms = codenames(group)
        assert not {"change_rating", "change_ratingscale", "add_user", "change_user"} & perms
