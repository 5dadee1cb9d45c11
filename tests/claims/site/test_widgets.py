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
    ("Group ó", [("g1", "In <group>"), ("g2", "Two")]),
    (3, "A number"),
]


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        ("", {"id": "id_claimant"}),
        ("q", {"id": "id_claimant", "aria-describedby": "help", "required": True}),
        ("g2", {"class": 'x" onclick="y', "disabled": False}),
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
