"""Who may use which door. Reads are open: each view's queryset decides what a
reader sees. Writes need an active staff account, as the admin does, and the
role's model permission; the services and the workflow then apply every rule
(state, two-person rule) themselves."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from claims.models import sees_unpublished_work

_ACTION_BY_METHOD = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def is_newsroom_user(user) -> bool:
    """An account that may use the admin: active staff (tokens belong to such accounts)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def newsroom_viewer(user, perm: str = "claims.view_claim"):
    """The user when they are newsroom staff allowed to see unpublished work
    (and `perm`), else None."""
    if sees_unpublished_work(user) and user.has_perm(perm):
        return user
    return None


class NewsroomWritePermission(BasePermission):
    """Anyone may read; only newsroom staff may write (the workflow decides the rest)."""

    message = _("Only newsroom staff can change content through the API.")
    anonymous_reads = True

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or is_newsroom_user(request.user)


class NewsroomModelPermissions(NewsroomWritePermission):
    """Writes also need the role's add/change/delete permission on `view.write_model`,
    checked before the request body is even read, so a refused write changes nothing."""

    message = _("Your role does not allow this change.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not is_newsroom_user(request.user):
            return False
        model = getattr(view, "write_model", None)
        if model is None:
            return True
        action = _ACTION_BY_METHOD.get(request.method)
        meta = model._meta
        return bool(action) and request.user.has_perm(
            f"{meta.app_label}.{action}_{meta.model_name}"
        )


class ImportPermission(BasePermission):
    """Importing other fact-checkers' reviews is an editor's job."""

    message = _("Your role does not allow importing reviews.")

    def has_permission(self, request, view):
        return is_newsroom_user(request.user) and request.user.has_perm(
            "claims.import_externalreview"
        )


class ExternalReviewPermission(BasePermission):
    """Imported reviews are newsroom triage material, not published content."""

    message = _("Only newsroom staff can see imported reviews.")

    def has_permission(self, request, view):
        return (
            request.method in SAFE_METHODS
            and is_newsroom_user(request.user)
            and request.user.has_perm("claims.view_externalreview")
        )


class NewsroomViewerPermission(BasePermission):
    """Newsroom tools only: active staff who may see unpublished claims."""

    message = _("Only newsroom staff can look for similar claims.")

    def has_permission(self, request, view):
        # Methods the view does not offer get DRF's 405, not this refusal.
        return newsroom_viewer(request.user) is not None
