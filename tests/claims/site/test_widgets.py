"""claims.site.widgets.LongSelect writes what Django's Select template writes."""

import pytest
from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from claims.site.widgets import LongSelect

CHOICES = [
    ("", "Anyone"),
    ("a-b", "Ana & Bea"),
    ("q", 'He said "<b>no</b>"'),
    ("safe", mark_safe("<em>kept</em>")),
    ('Group "<ó>" & co', [("g1", "In <group>"), ('v"<&>', "Two")]),
    (3, "A number"),
]


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        ("", {"id": "id_claimant"}),
        ("q", {"id": "id_claimant", "aria-describedby": "help", "required": True}),
        ('v"<&>', {"class": 'x" onclick="y', "disabled": False}),
        ("3", {}),
        ("unknown <slug>", {"id": "id_claimant"}),
    ],
)
def test_the_same_html_as_djangos_select(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("claimant", value, attrs)
    ours = LongSelect(choices=CHOICES).render("claimant", value, attrs)
    SimpleTestCase().assertHTMLEqual(ours, django_html)
    assert "<b>" not in ours and "<em>kept</em>" in ours


def test_the_selected_option_is_marked_once():
    html = LongSelect(choices=CHOICES).render("claimant", "a-b")
    assert html.count("selected") == 1
    assert '<option value="a-b" selected>Ana &amp; Bea</option>' in html


def test_values_labels_groups_and_names_are_escaped_as_a_template_escapes_them():
    """assertHTMLEqual reads entities back, so the escaping itself is checked
    on the bytes: the same as Django's Select writes."""
    django_html = forms.Select(choices=CHOICES).render('na"me', 'v"<&>', {"id": "i"})
    ours = LongSelect(choices=CHOICES).render('na"me', 'v"<&>', {"id": "i"})
    for written in (
        'name="na&quot;me"',
        '<optgroup label="Group &quot;&lt;ó&gt;&quot; &amp; co">',
        '<option value="v&quot;&lt;&amp;&gt;" selected>Two</option>',
        "He said &quot;&lt;b&gt;no&lt;/b&gt;&quot;",
        "Ana &amp; Bea",
    ):
        assert written in ours
        assert written.replace(" selected", "") in django_html.replace(" selected", "")
