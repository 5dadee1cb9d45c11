"""The site's own pages (Django flat pages), saved through the services with
a version check, and the site record that they hang on."""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.admin import SiteAdmin
from django.contrib.sites.models import Site

from claims import services
from claims.admin.forms import VersionedModelForm
from claims.admin.reference import ReferenceRecordAdmin
from claims.models import SitePageVersion


class SitePageForm(FlatpageForm, VersionedModelForm):
    def version_of(self, instance) -> int | None:
        stored = SitePageVersion.objects.filter(page=instance).values_list("version", flat=True)
        return stored.first() or 1


class SitePageAdmin(ReferenceRecordAdmin, FlatPageAdmin):
    form = SitePageForm

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data[f] for f in services.SITE_PAGE_FIELDS if f in form.cleaned_data
        }
        page = services.site_page_save(
            page=obj if change else None,
            by=request.user,
            data=data,
            sites=form.cleaned_data.get("sites"),
            expected_version=form.cleaned_data.get("expected_version"),
        )
        obj.pk = page.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # The sites were set by the service.
        pass

    def delete_model(self, request, obj):
        services.site_page_delete(page=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.site_page_delete(page=page, by=request.user)


class VerazSiteAdmin(SiteAdmin):
    """Deleting the site would take every site page with it."""

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(FlatPage)
admin.site.register(FlatPage, SitePageAdmin)
admin.site.unregister(Site)
admin.site.register(Site, VerazSiteAdmin)
