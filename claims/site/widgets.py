"""Form widgets for reader pages."""

from __future__ import annotations

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeData, SafeString, mark_safe


def _text(value) -> str:
    """As a template writes `{{ value }}`: escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


class LongSelect(forms.Select):
    """A `<select>` that may hold hundreds of options (the list page's
    claimant filter names every public claimant), rendered in Python.

    Django renders a Select through a template, and each option through one
    more: 20-30 ms for 500 claimants on this project's bench machine, on
    every list or search page. This writes the same elements from the same context
    (`get_context()`: the attributes, the groups, which option is selected),
    escaped as the templates escape them, without the whitespace the
    templates put between them: about 1 ms for the same 500.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{html.escape(str(widget["name"]))}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{_text(group_name)}">')
            parts.extend(
                f'<option value="{html.escape(str(option["value"]))}"'
                f"{flatatt(option['attrs']) if option['attrs'] else ''}>"
                f"{_text(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above
