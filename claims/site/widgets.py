"""Form widgets for reader pages."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A `<select>` that may hold hundreds of options (the list page's
    claimant filter names every public claimant), rendered in Python.

    Django renders a Select through a template, and each option through one
    more: 20-30 ms for 500 claimants on this project's bench machine, on
    every list or search page. This writes the same elements from the same context
    (`get_context()`: the attributes, the groups, which option is selected),
    escaped as the templates escape them (`conditional_escape`), without the
    whitespace the templates put between them: about 1-2 ms for the same 500.
    For string labels, as the reader's filters have: a template would also
    localize a number or a date used as a label; this writes it as `str()`.
    An attribute set to None is left out (`flatatt`), where the template
    writes `name="None"`.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'<option value="{conditional_escape(option["value"])}"'
                f"{flatatt(option['attrs']) if option['attrs'] else ''}>"
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above
