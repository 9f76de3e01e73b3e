from django import forms
from django.utils.translation import gettext_lazy as _

from defensie.forms import ModelChoiceField
from intake.csv_import import CsvImporter
from intake.models import Instroomspoor, Krijgsmachtdeel, Lichting

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


class LichtingImportForm(forms.ModelForm):
    instroomspoor = ModelChoiceField(
        queryset=Instroomspoor.objects.filter(starts_in_lichtingen=True),
        to_field_name="code",
        error_messages={"invalid_choice": _("Onbekend instroomspoor, of een spoor dat niet in lichtingen start.")},
    )
    krijgsmachtdeel = ModelChoiceField(
        queryset=Krijgsmachtdeel.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": _("Onbekend krijgsmachtdeel; gebruik KL, KM, KLU, KMAR of DEF.")},
    )
    start_date = forms.DateField(input_formats=DATE_FORMATS)
    end_date = forms.DateField(input_formats=DATE_FORMATS)

    class Meta:
        model = Lichting
        fields = ["instroomspoor", "name", "krijgsmachtdeel", "start_date", "end_date", "location", "capacity"]

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("De einddatum ligt vóór de startdatum."))
        return data


class LichtingImporter(CsvImporter):
    """Lichtingen by track code and name; a known pair updates that lichting."""

    columns = {
        "instroomspoor": "instroomspoor",
        "naam": "name",
        "krijgsmachtdeel": "krijgsmachtdeel",
        "startdatum": "start_date",
        "einddatum": "end_date",
        "locatie": "location",
        "capaciteit": "capacity",
    }
    form_class = LichtingImportForm

    def key(self, values):
        return values["instroomspoor"].lower(), values["naam"].lower()

    def existing(self, values):
        return Lichting.objects.filter(instroomspoor__code=values["instroomspoor"], name__iexact=values["naam"]).first()
