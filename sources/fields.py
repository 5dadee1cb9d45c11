from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sources.normalization import ALLOWED_SCHEMES, normalize_url

http_url_validator = URLValidator(
    schemes=list(ALLOWED_SCHEMES),
    message=_("Enter a web address starting with http:// or https://."),
)


class NormalizedURLFormField(forms.URLField):
    default_validators = [http_url_validator]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_url(value) if value else value


class NormalizedURLField(models.URLField):
    """An http(s) URL stored in canonical form, so equal addresses compare equal.

    Normalisation happens before saving and before lookups, which is what lets
    a unique constraint catch `Example.com/a#x` duplicating `example.com/a`.
    """

    default_validators = [http_url_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = normalize_url(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalize_url(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_url(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalizedURLFormField, **kwargs})
