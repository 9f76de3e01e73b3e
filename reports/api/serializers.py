"""The report endpoints' input (the dashboard's filters as query parameters) and output (a report table)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from intake.api.serializers import CodeField
from intake.choices import Gender
from intake.models import Instroomspoor, Krijgsmachtdeel

from ..choices import Granularity
from ..forms import FIRST_YEAR
from ..selectors import ReportFilters
from ..suppression import COMPLEMENT, SMALL, Cell


class ReportFilterSerializer(serializers.Serializer):
    """The dashboard's filters. Unlike the dashboard, which falls back to "all" on a bad value, a system gets a
    400 naming the parameter: a silently widened figure would end up in its tables unnoticed."""

    track = CodeField(
        queryset=Instroomspoor.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code van een instroomspoor; leeg: alle.",
    )
    branch = CodeField(
        queryset=Krijgsmachtdeel.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code van een krijgsmachtdeel; leeg: alle.",
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices, required=False, allow_blank=True, help_text="Geslacht; leeg: alle."
    )
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        required=False,
        help_text="Jaar (aanmeld-, instroom- of plancijferjaar); standaard dit jaar.",
    )
    granularity = serializers.ChoiceField(
        choices=Granularity.choices,
        required=False,
        help_text="Periodes per maand, kwartaal of jaar (trechter en behoud); standaard per maand.",
    )

    def validate_year(self, year):
        if year > timezone.localdate().year:
            raise serializers.ValidationError(_("Er zijn nog geen cijfers voor een jaar na dit jaar."))
        return year

    def filters(self) -> ReportFilters:
        data = self.validated_data
        return ReportFilters(
            track=data["track"].code if data.get("track") else "",
            branch=data["branch"].code if data.get("branch") else "",
            gender=data.get("gender", ""),
            year=data.get("year") or timezone.localdate().year,
            granularity=data.get("granularity") or Granularity.MONTH,
        )


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string"}],
        "nullable": True,
        "description": f"Een getal (aantal, aandeel als fractie 0 tot 1, of dagen), een tekst (in tekstkolommen), "
        f"`null` als er geen waarde is, of een markering van een onderdrukte cel: `{SMALL}` (een groep van 1 tot "
        f"4 personen) of `{COMPLEMENT}` (onderdrukt omdat hij een kleine groep zou verraden).",
    }
)
class CellField(serializers.Field):
    """A suppressed cell is its marker, never its value: the value is not even in the Cell (see suppression)."""

    def to_representation(self, cell: Cell):
        if cell.marker:
            return cell.marker
        if cell.value is None or cell.kind != "text":
            return cell.value
        return str(cell.value)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Sleutel van de kolom in elke rij (en kop van de CSV).")
    label = serializers.CharField(help_text="Kop van de kolom op het dashboard.")
    kind = serializers.ChoiceField(
        choices=["text", "count", "percent", "days"],
        help_text="text; count (personen); percent (fractie 0 tot 1); days (dagen).",
    )


class AppliedFiltersSerializer(serializers.Serializer):
    track = serializers.CharField(allow_blank=True, help_text="Leeg: alle instroomsporen.")
    branch = serializers.CharField(allow_blank=True, help_text="Leeg: alle krijgsmachtdelen.")
    gender = serializers.CharField(allow_blank=True, help_text="Leeg: alle.")
    year = serializers.IntegerField()
    granularity = serializers.ChoiceField(choices=Granularity.choices)


class ReportSerializer(serializers.Serializer):
    """A report table as the dashboard shows it, without its links to candidate lists: aggregates only."""

    report = serializers.CharField(help_text="Naam van het rapport, zoals in het pad.")
    title = serializers.CharField()
    computed_at = serializers.DateTimeField(
        help_text="Wanneer de cijfers zijn berekend (de laatste geslaagde herberekening); ook in Last-Modified."
    )
    filters = AppliedFiltersSerializer(help_text="De filters waarmee de cijfers zijn gelezen, met de standaarden.")
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(child=CellField()),
        help_text="Eén object per rij, met een waarde per kolomsleutel.",
    )
    note = serializers.CharField(allow_blank=True, help_text="Toelichting bij de cijfers.")
