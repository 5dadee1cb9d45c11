"""Claimants, topics and the rating scale."""

from django.contrib import admin

from claims import services
from claims.admin.base import ServiceRefusalsMixin
from claims.admin.forms import VersionedModelForm
from claims.admin.history import ReadOnlyHistoryAdmin
from claims.models import (
    Claimant,
    Rating,
    RatingScale,
    Topic,
)
from claims.policy import RecordPolicy


class ReferenceRecordAdmin(ServiceRefusalsMixin, ReadOnlyHistoryAdmin):
    """A reference record's admin: saves and deletes through the record
    services, with the version the form was opened on, and offers a change
    only when the record policy allows it (editors, once a published page
    shows the record)."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        # The hidden version must be in the form whatever the fieldsets list.
        fieldsets = super().get_fieldsets(request, obj)
        if any("expected_version" in options["fields"] for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "expected_version"]}), *rest]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return bool(RecordPolicy(request.user, obj).can_change())

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request, obj)
        return bool(RecordPolicy(request.user, obj).can_delete())

    def save_model(self, request, obj, form, change):
        fields = services.record_fields(self.model)
        if not change:
            data = {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}
            record = services.record_create(model=self.model, by=request.user, data=data)
            obj.pk = record.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        services.record_update(
            record=obj,
            by=request.user,
            data={f: form.cleaned_data[f] for f in form.changed_data if f in fields},
            expected_version=form.cleaned_data.get("expected_version"),
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Inline records (a scale's ratings) through the record services too."""
        fields = services.record_fields(formset.model)
        parent = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() and row not in formset.deleted_forms:
                continue
            if row in formset.deleted_forms:
                if row.instance.pk:
                    services.record_delete(
                        record=row.instance,
                        by=request.user,
                        expected_version=row.cleaned_data.get("expected_version"),
                    )
                    formset.deleted_objects.append(row.instance)
                continue
            data = {f: row.cleaned_data[f] for f in fields if f in row.cleaned_data}
            data[formset.fk.name] = parent
            if row.instance.pk is None:
                created = services.record_create(model=formset.model, by=request.user, data=data)
                formset.new_objects.append(created)
            else:
                services.record_update(
                    record=row.instance,
                    by=request.user,
                    data={f: data[f] for f in row.changed_data if f in data},
                    expected_version=row.cleaned_data.get("expected_version"),
                )
                formset.changed_objects.append((row.instance, row.changed_data))

    def delete_model(self, request, obj):
        services.record_delete(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            services.record_delete(record=record, by=request.user)


@admin.register(Claimant)
class ClaimantAdmin(ReferenceRecordAdmin):
    list_display = ["name", "kind", "role", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(ReferenceRecordAdmin):
    list_display = ["name", "name_es", "slug"]
    search_fields = ["name", "name_es"]
    prepopulated_fields = {"slug": ["name"]}


class RatingInline(admin.TabularInline):
    model = Rating
    form = VersionedModelForm
    fields = [
        "order",
        "slug",
        "label",
        "label_es",
        "value",
        "colour",
        "definition",
        "definition_es",
        "expected_version",
    ]
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(ReferenceRecordAdmin):
    list_display = ["name", "best_value", "worst_value", "is_default"]
    inlines = [RatingInline]
