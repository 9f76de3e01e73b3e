from django import forms

from intake.csv_import import CsvImporter
from intake.lichtingen.imports import DATE_FORMATS

from .models import School


class SchoolImportForm(forms.ModelForm):
    partner_since = forms.DateField(input_formats=DATE_FORMATS)

    class Meta:
        model = School
        fields = ["name", "level", "city", "partner_since"]


class SchoolImporter(CsvImporter):
    """NWT partner schools by name; a known name updates that school."""

    columns = {"naam": "name", "niveau": "level", "plaats": "city", "partner_sinds": "partner_since"}
    form_class = SchoolImportForm

    def key(self, values):
        return (values["naam"].lower(),)

    def existing(self, values):
        return School.objects.filter(name__iexact=values["naam"]).first()
