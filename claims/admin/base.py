"""What every admin page that saves through the services shares."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from claims.exceptions import WorkflowError


class ServiceRefusalsMixin:
    """The services re-check every rule under a row lock when the admin saves;
    if one refuses at that point, the whole save is rolled back and the
    service's own message is shown on the page the user came from."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
