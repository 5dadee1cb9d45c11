from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Veraz newsroom")
admin.site.site_title = _("Veraz newsroom")
admin.site.index_title = _("Claims, sources and verdicts")

urlpatterns = [
    path("admin/", admin.site.urls),
]
