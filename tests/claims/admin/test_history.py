"""History pages show the past; they never write it back (no side door)."""

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims.admin.history import ReadOnlyHistoryAdmin
from claims.models import ClaimStatus
from tests.factories import make_published

pytestmark = pytest.mark.django_db


def test_every_history_admin_is_read_only():
    with_history = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, ReadOnlyHistoryAdmin)
    ]
    assert with_history == []


def test_posting_an_old_version_does_not_unpublish(
    client, researcher, editor, superuser, unchanged_database
):
    claim = make_published(researcher, editor)
    draft_version = claim.history.filter(status=ClaimStatus.DRAFT).earliest("history_date")
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, draft_version.history_id])
    for user in (editor, superuser):
        client.force_login(user)
        assert client.get(url).status_code == 200
        page = client.get(url).content.decode()
        assert "Revert" not in page
        with unchanged_database():
            response = client.post(url, {"text": claim.text, "_change_history": "1"})
            assert response.status_code == 405
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
