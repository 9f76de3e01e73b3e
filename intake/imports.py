"""CSV import of candidates, such as a partner school's NWT list or the leads of a campaign.

The import is all or nothing. The preview runs the very same import inside a transaction that is rolled back, so
it shows every error the real import would meet (including the tracks' own rules); the real import commits only
when no row has an error.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from . import services
from .choices import ApplicationType, Gender, Source
from .forms import CandidateDataForm
from .models import Instroomspoor, Krijgsmachtdeel
from .selectors import candidate_duplicates, identity_keys, person_of, tracks_changeable_by

MAX_ROWS = 2000

# CSV column, form field, required. The column names are Dutch because the people filling them in are.
COLUMNS: list[tuple[str, str, bool]] = [
    ("voornaam", "first_name", True),
    ("achternaam", "last_name", True),
    ("geboortedatum", "birth_date", True),
    ("e-mail", "email", True),
    ("telefoon", "phone", False),
    ("postcode", "postcode", False),
    ("geslacht", "gender", False),
    ("instroomspoor", "instroomspoor", True),
    ("krijgsmachtdeel", "krijgsmachtdeel", True),
    ("sollicitatie_op", "application_type", False),
    ("functie", "function_title", False),
    ("bron", "source", True),
    ("aangemeld_op", "applied_on", False),
]
COLUMN_OF_FIELD = {name: column for column, name, _required in COLUMNS}
HEADER_ALIASES = {"email": "e-mail", "emailadres": "e-mail", "e-mailadres": "e-mail", "telefoonnummer": "telefoon"}
EXAMPLE = {
    "voornaam": "Sanne",
    "achternaam": "de Vries",
    "geboortedatum": "17-05-2005",
    "e-mail": "sanne.devries@example.nl",
    "telefoon": "0612345678",
    "postcode": "3511 AB",
    "geslacht": "vrouw",
    "instroomspoor": "nwt",
    "krijgsmachtdeel": "KL",
    "sollicitatie_op": "open",
    "functie": "",
    "bron": "school",
    "aangemeld_op": "",
}
CODED_FIELDS = {"gender": Gender, "application_type": ApplicationType, "source": Source}


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    def value(self, column: str) -> str:
        return self.values.get(column, "")

    @property
    def email(self) -> str:
        return self.value("e-mail")


@dataclass
class ImportResult:
    rows: list[ImportRow]
    file_errors: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.file_errors and not self.error_rows


def import_template() -> str:
    """The downloadable template: the header and one example row, separated by semicolons for Dutch Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([column for column, _name, _required in COLUMNS])
    writer.writerow([EXAMPLE[column] for column, _name, _required in COLUMNS])
    return "\ufeff" + out.getvalue()


def decode_upload(content: bytes) -> str:
    """Excel saves CSV as UTF-8 with a byte order mark or as Windows-1252; accept both."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


class _TemplateDateField(forms.DateField):
    """A date field that reads the template's format (dd-mm-jjjj) without `strptime`, which took a twentieth of
    an import: two dates a row. Other formats, and anything that is not a date, go the usual way."""

    def strptime(self, value, format):
        if format == "%d-%m-%Y" and len(value) == 10 and value[2] == value[5] == "-":
            digits = value[:2] + value[3:5] + value[6:]
            if digits.isascii() and digits.isdigit():
                return datetime.date(int(value[6:]), int(value[3:5]), int(value[:2]))
        return super().strptime(value, format)


class _RowForm(CandidateDataForm):
    """One CSV row: codes or labels for the coded fields, an intake track by its code."""

    instroomspoor = forms.CharField()
    # Looked up in the branches read once per import, not with a query per row.
    krijgsmachtdeel = forms.CharField()

    class Meta(CandidateDataForm.Meta):
        fields = ["instroomspoor", *CandidateDataForm.Meta.fields, "applied_on"]
        field_classes = {"birth_date": _TemplateDateField, "applied_on": _TemplateDateField}

    def __init__(
        self, *args, tracks: dict[str, Instroomspoor], branches: dict[str, Krijgsmachtdeel], allowed: set[str], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.tracks, self.branches, self.allowed = tracks, branches, allowed
        self._cleaned: dict[str, dict[str, Any]] = {name: {} for name in self.fields}
        self.fields["applied_on"].required = False
        for date_field in (self.fields["birth_date"], self.fields["applied_on"]):
            # The active language's formats, read once: the lazy default looked them up again for every row.
            date_field.input_formats = get_format("DATE_INPUT_FORMATS")

    def validate(self, data: dict[str, str]) -> bool:
        """Validate one row. One form validates every row of an import: a form per row spent most of an
        import's time copying its fields."""
        self.data = data
        self.full_clean()
        return not self.errors

    def _clean_fields(self):
        """Django's field by field cleaning, with each value that cleaned without error kept per field: the
        values of a column repeat from row to row (the track, the branch, the codes, the dates and first names),
        and cleaning them again was a fifth of an import. A field's cleaning depends on its value only (and on
        what is fixed for the whole import: today, the tracks and branches), so a kept value is what cleaning
        it again would give. Errors are not kept: every row gets its messages as if cleaned alone."""
        for name, bound_field in self._bound_items():
            value = self.data.get(name)
            cleaned = self._cleaned[name]
            if value in cleaned:
                self.cleaned_data[name] = cleaned[value]
                continue
            try:
                self.cleaned_data[name] = bound_field.field._clean_bound_field(bound_field)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)
            else:
                if len(cleaned) < services.KEPT_VALUES_PER_FIELD:
                    cleaned[value] = self.cleaned_data[name]

    def _post_clean(self):
        # No model validation here: `services.candidates_register` validates the model of every row anyway.
        pass

    def clean_krijgsmachtdeel(self):
        code = self.cleaned_data["krijgsmachtdeel"]
        if code not in self.branches:
            raise ValidationError(
                _("Onbekend krijgsmachtdeel '%(code)s'; gebruik een van: %(codes)s.")
                % {"code": code, "codes": ", ".join(sorted(self.branches))}
            )
        return self.branches[code]

    def clean_instroomspoor(self):
        code = self.cleaned_data["instroomspoor"].strip().lower()
        if code not in self.tracks:
            raise ValidationError(
                _("Onbekend instroomspoor '%(code)s'; gebruik een van: %(codes)s.")
                % {"code": code, "codes": ", ".join(sorted(self.allowed))}
            )
        if code not in self.allowed:
            raise ValidationError(
                _("U mag geen kandidaten registreren in het instroomspoor %(track)s.") % {"track": self.tracks[code]}
            )
        return self.tracks[code]

    def clean_applied_on(self):
        return super().clean_applied_on() or self.today


def _coded_values() -> dict[str, dict[str, str]]:
    """Per coded field: each code and each label, lowercased, to its code (labels in the active language)."""
    return {
        name: {text.lower(): value for value, label in choices.choices for text in (value, str(label))}
        for name, choices in CODED_FIELDS.items()
    }


def _form_data(row: ImportRow, coded: dict[str, dict[str, str]]) -> dict[str, str]:
    data = {name: row.value(column).strip() for column, name, _required in COLUMNS}
    data["krijgsmachtdeel"] = data["krijgsmachtdeel"].upper()
    for name, by_text in coded.items():
        data[name] = by_text.get(data[name].lower(), data[name])
    if not data["gender"]:
        data["gender"] = Gender.ONBEKEND
    if not data["application_type"]:
        data["application_type"] = ApplicationType.OPEN
    return data


def _read(text: str, *, max_rows: int) -> tuple[list[ImportRow], list[str]]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records = ((reader.line_num, values) for values in reader if any(v.strip() for v in values))
    _line, header = next(records, (0, None))
    if header is None:
        return [], [_("Het bestand is leeg.")]
    header = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    known = {column for column, _name, _required in COLUMNS}
    errors = []
    unknown = [h for h in header if h and h not in known]
    if unknown:
        errors.append(_("Onbekende kolommen: %(columns)s.") % {"columns": ", ".join(unknown)})
    missing = [column for column, _name, required in COLUMNS if required and column not in header]
    if missing:
        errors.append(_("Verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)})
    if errors:
        return [], errors
    rows = []
    for line, values in records:
        row = ImportRow(line, dict(zip(header, values, strict=False)))
        if len(values) > len(header):
            row.errors.append(_("Deze regel heeft meer waarden dan er kolommen zijn."))
        rows.append(row)
        if len(rows) > max_rows:
            return [], [_("Het bestand bevat meer dan %(max)d kandidaten; splits het op.") % {"max": max_rows}]
    if not rows:
        return [], [_("Het bestand bevat geen kandidaten, alleen een kopregel.")]
    return rows, []


def _row_messages(errors: Mapping[str, Iterable[str]]) -> list[str]:
    """The messages per field of a form or of the service, each prefixed with its CSV column."""
    messages = []
    for name, field_errors in errors.items():
        column = COLUMN_OF_FIELD.get(name)
        messages += [f"{column}: {message}" if column else message for message in field_errors]
    return messages


def _check_duplicates(rows: list[ImportRow], people: dict[int, dict]) -> None:
    existing = {key: c for c in candidate_duplicates(people.values()) for key in identity_keys(person_of(c))}
    earlier: dict[tuple, int] = {}
    for row in rows:
        if row.line not in people:
            continue
        keys = identity_keys(people[row.line])
        for candidate in {existing[key] for key in keys if key in existing}:
            row.errors.append(
                _("Bestaat al als %(number)s (%(name)s, %(track)s).")
                % {"number": candidate.number, "name": candidate.full_name, "track": candidate.instroomspoor}
            )
        for line in sorted({earlier[key] for key in keys if key in earlier}):
            row.errors.append(_("Staat ook op regel %(line)d van dit bestand.") % {"line": line})
        for key in keys:
            earlier.setdefault(key, row.line)


@contextmanager
def _cycle_collection_paused():
    """An import allocates millions of objects (rows, forms' cleaned data, unsaved models) that form no
    reference cycles; Python's cycle collector walked them over and over, a tenth of a large import's time.
    Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cycle_collection_paused()
def candidates_import(*, actor: AbstractBaseUser, text: str, commit: bool, max_rows: int = MAX_ROWS) -> ImportResult:
    """Validate every row of `text` and register its candidates in one transaction. The transaction is rolled
    back when `commit` is false (the preview) or when any row has an error: then nothing is imported."""
    rows, file_errors = _read(text, max_rows=max_rows)
    if file_errors:
        return ImportResult(rows=[], file_errors=file_errors)
    tracks = {track.code: track for track in Instroomspoor.objects.all()}
    branches = {branch.code: branch for branch in Krijgsmachtdeel.objects.all()}
    allowed = set(tracks_changeable_by(actor).values_list("code", flat=True))
    coded = _coded_values()
    form = _RowForm({}, tracks=tracks, branches=branches, allowed=allowed)
    valid, registrations, people = [], [], {}
    for row in rows:
        if form.validate(_form_data(row, coded)) and not row.errors:
            valid.append(row)
            registrations.append(form.service_fields())
            people[row.line] = form.cleaned_data
        else:
            row.errors += _row_messages(form.errors)
    _check_duplicates(rows, people)

    with transaction.atomic():
        # Rows found to be duplicates are registered too (the transaction is rolled back then), so that the
        # service's checks of the model and the track report their errors in the same round.
        try:
            services.candidates_register(actor=actor, registrations=registrations)
        except services.RegistrationErrors as refused:
            for index, errors in refused.errors.items():
                valid[index].errors += _row_messages(errors)
        result = ImportResult(rows=rows)
        result.imported = commit and result.ok
        if not result.imported:
            transaction.set_rollback(True)
    return result
