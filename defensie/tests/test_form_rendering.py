"""Selects render exactly as through Django's own templates (the project writes them in Python, see defensie.forms)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

CHOICES = [("", "Alle"), ("kl", "Landmacht & <Marine>"), ("Lichtingen", [("1", "Januari"), ("2", "Februari")])]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), ""),
        (forms.Select(choices=CHOICES, attrs={"aria-invalid": "true"}), "kl"),
        (forms.Select(choices=CHOICES), "2"),
        (forms.SelectMultiple(choices=CHOICES), ["kl", "1"]),
        (forms.NullBooleanSelect(), True),
    ],
)
def test_selects_render_exactly_as_with_djangos_own_templates(widget, value):
    ours = widget.render("veld", value, attrs={"id": "id_veld"})
    djangos = widget.render("veld", value, attrs={"id": "id_veld"}, renderer=DjangoTemplates())
    assert ours == djangos and "<option" in ours
