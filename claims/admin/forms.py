"""The admin's forms. They validate what a person typed; the services decide
whether it may be saved."""

import re
from decimal import Decimal

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.models import Claim, Claimant, CorrectionKind, Rating, RatingScale, Verdict
from claims.models.content import plain_decimal
from claims.search import matching
from claims.services import makes_cycle


def describe_changes_since(obj, version: int) -> str:
    """Say what others changed on `obj` after the user's copy (`version`)."""
    history = getattr(obj, "history", None)
    if history is None or not any(f.name == "version" for f in history.model._meta.fields):
        return ""
    theirs = history.filter(version=version).order_by("-history_date").first()
    current = history.order_by("-history_date").first()
    if theirs is None or current is None or theirs.pk == current.pk:
        return ""
    delta = current.diff_against(theirs, excluded_fields=["version", "updated_at"])
    parts = []
    for change in delta.changes:
        label = obj._meta.get_field(change.field).verbose_name
        parts.append(
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {"field": label, "old": _shorten(change.old), "new": _shorten(change.new)}
        )
    who = current.history_user or _("someone")
    if not parts:
        return _("%(who)s saved it in the meantime.") % {"who": who}
    return _("%(who)s changed %(changes)s.") % {"who": who, "changes": "; ".join(parts)}


def _shorten(value, limit: int = 80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SentenceTextarea(forms.Textarea):
    """A text area for a value that is one line when saved (a claim's wording,
    a verdict's conclusion): a one-line input hid all but its first words. A
    line break typed or pasted into it is saved as a space."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 3, "class": "vLargeTextField", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", value).strip()
        return value


class VersionedModelForm(forms.ModelForm):
    """Refuses to save over a change someone else made after this form was opened.

    The form carries the version it was rendered from. If the object moved on,
    the form is shown again with the user's input intact, a message saying what
    changed, and the version bumped, so saving again applies their edit on
    purpose rather than by accident.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.version_of(self.instance)

    def version_of(self, instance) -> int | None:
        """The stored version of `instance` (overridden where it is kept beside
        the model, as for Django's flat pages)."""
        return (
            type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True).first()
        )

    def has_changed(self):
        # The hidden version alone never makes an inline row "changed".
        return any(name != "expected_version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None and self.has_changed():
            current = self.version_of(self.instance)
            if current is not None and current != expected:
                changes = describe_changes_since(self.instance, expected)
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = current
                raise forms.ValidationError(
                    _(
                        "Not saved: this %(object)s was changed by someone else after you "
                        "opened it. %(changes)s Your edits are still in the form; check "
                        "them against the current version and save again to apply them."
                    )
                    % {"object": self.instance._meta.verbose_name, "changes": changes},
                    code="stale",
                )
        return cleaned


def default_scale_ratings():
    return Rating.objects.filter(scale__is_default=True).select_related("scale")


class ClaimAdminForm(VersionedModelForm):
    class Meta:
        model = Claim
        fields = [
            "text",
            "claimant",
            "language",
            "first_made_on",
            "context",
            "topics",
            "assigned_to",
            "true_as_of",
            "parent",
        ]
        widgets = {
            "text": SentenceTextarea,
            "context": forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        }

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if self.instance.pk and makes_cycle(self.instance, parent):
            raise forms.ValidationError(_("A claim cannot be a sub-claim of itself."))
        return parent


class TransitionForm(forms.Form):
    # The claim version the confirmation page showed: if the claim moved on
    # (changes requested, edited, resubmitted), the step is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        required=False,
    )


class CorrectionProposalForm(forms.Form):
    # The claim version the form was opened at: a correction drafted from a
    # verdict that has since been corrected would silently undo that correction.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CorrectionKind.choices)
    note = forms.CharField(
        label=gettext_lazy("Public note"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=gettext_lazy("Readers see this note: say what changed and why."),
    )
    text = forms.CharField(
        label=gettext_lazy("Claim"),
        max_length=Claim._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        help_text=gettext_lazy("The claim's wording; change it only to correct it."),
    )
    claimant = forms.ModelChoiceField(
        label=gettext_lazy("Claimant"),
        queryset=Claimant.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Unattributed"),
    )
    context = forms.CharField(
        label=gettext_lazy("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
    )
    rating = forms.ModelChoiceField(label=gettext_lazy("Rating"), queryset=Rating.objects.none())
    conclusion = forms.CharField(
        label=gettext_lazy("Conclusion"), max_length=300, widget=SentenceTextarea
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        help_text=gettext_lazy("Markdown; links and emphasis are kept, scripts are not."),
    )

    def __init__(self, *args, scale: RatingScale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].queryset = scale.ratings.all()


class SafeAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete widget, minus a crash.

    When a form is shown again after an error, Django's widget looks up the
    submitted value in the database as is; a value that cannot be an id (a
    tampered or garbled form) then raises instead of showing the field's own
    "select a valid choice" error. Values that are not valid ids, or that would
    overflow the database's integer type, are dropped before the lookup.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        low, high = connections[self.db or "default"].ops.integer_field_range(
            target.get_internal_type()
        )
        valid = []
        for item in value:
            try:
                python_value = target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            if isinstance(python_value, int) and not (
                (low is None or python_value >= low) and (high is None or python_value <= high)
            ):
                continue  # would overflow the database's integer type
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteAdminMixin:
    """Use SafeAutocompleteSelect for every `autocomplete_fields` foreign key."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ItemForm(VersionedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The column keeps four decimal places; a person typed 200, not 200.0000.
        value = self.initial.get("figure_value")
        if isinstance(value, Decimal):
            self.initial["figure_value"] = plain_decimal(value)


class VerdictForm(VersionedModelForm):
    class Meta:
        model = Verdict
        fields = ["rating", "conclusion", "explanation"]
        widgets = {"conclusion": SentenceTextarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "rating" in self.fields:
            self.fields["rating"].queryset = default_scale_ratings()


class ClaimAddForm(ClaimAdminForm):
    """The add form first shows claims the newsroom already logged that look
    like the same claim, and saves only once the researcher confirms."""

    confirm_new_claim = forms.BooleanField(
        label=gettext_lazy("None of these is the same claim: save it as a new claim"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar_claims: list[matching.SimilarClaim] = []

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if text and not self.errors and not cleaned.get("confirm_new_claim"):
            self.similar_claims = matching.similar_claims(
                text, language=cleaned.get("language"), limit=10
            )
            if self.similar_claims:
                raise forms.ValidationError(
                    _(
                        "Not saved yet: the newsroom may have logged this claim already. "
                        "Check the similar claims listed above. If one is the same claim, add "
                        "this appearance to it instead; if none is, confirm and save again."
                    ),
                    code="similar_claims",
                )
        return cleaned


class MergeForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    canonical = forms.ModelChoiceField(
        label=gettext_lazy("Merge into claim number"),
        queryset=Claim.objects.filter(merged_into__isnull=True),
        widget=forms.TextInput(attrs={"size": 10, "inputmode": "numeric"}),
        help_text=gettext_lazy(
            "The claim that stays: this one's appearances move there and its page redirects there."
        ),
        error_messages={
            "invalid_choice": gettext_lazy("There is no claim with this number to merge into.")
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the workflow log"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        required=False,
    )

    def chosen_claim(self) -> Claim | None:
        value = self.data.get("canonical") if self.is_bound else self.initial.get("canonical")
        try:
            return Claim.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None
