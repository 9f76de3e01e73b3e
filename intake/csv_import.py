"""All-or-nothing CSV import of reference data (lichtingen, NWT partner schools), from a management command or
the admin. Every line is validated by a form; if any line is wrong nothing is written and every error is
reported with its line number, so a beheerder fixes the file and imports it again. A line whose key matches an
existing row updates that row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import ClassVar

from django import forms
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _

MAX_BYTES = 2_000_000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)d toegevoegd, %(updated)d bijgewerkt.") % {"created": self.created, "updated": self.updated}


class CsvImporter:
    """Subclasses name the file's columns (`columns`: CSV header → form field), the ModelForm that validates a
    line, and how a line finds the existing row it updates (`existing`, given the line's values by header)."""

    columns: ClassVar[dict[str, str]]
    form_class: ClassVar[type[forms.ModelForm]]

    def existing(self, values: dict[str, str]) -> models.Model | None:
        raise NotImplementedError

    def key(self, values: dict[str, str]) -> tuple:
        """What makes two lines the same row; a file may name a row once."""
        raise NotImplementedError

    def template(self) -> str:
        return ",".join(self.columns) + "\n"

    def run_bytes(self, content: bytes) -> ImportResult:
        if len(content) > MAX_BYTES:
            return ImportResult(errors=[_("Het bestand is groter dan 2 MB.")])
        try:
            text = content.decode("utf-8-sig")  # Excel writes a byte-order mark
        except UnicodeDecodeError:
            return ImportResult(errors=[_("Het bestand is geen UTF-8-tekst; sla het op als CSV UTF-8.")])
        return self.run(text)

    def run(self, text: str) -> ImportResult:
        try:
            dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        headers = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [column for column in self.columns if column not in headers]
        if missing:
            return ImportResult(errors=[_("Deze kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)}])
        reader.fieldnames = headers
        errors, valid, seen = [], [], {}
        for line, row in enumerate(reader, start=2):
            values = {column: (row.get(column) or "").strip() for column in self.columns}
            if not any(values.values()):
                continue
            key = self.key(values)
            if key in seen:
                errors.append(_("Regel %(line)d: staat al op regel %(first)d.") % {"line": line, "first": seen[key]})
                continue
            seen[key] = line
            form = self.form_class({self.columns[c]: v for c, v in values.items()}, instance=self.existing(values))
            if form.is_valid():
                valid.append(form)
            else:
                errors += self._messages(line, form)
        if not valid and not errors:
            errors.append(_("Het bestand bevat geen regels."))
        if errors:
            return ImportResult(errors=errors)
        result = ImportResult()
        with transaction.atomic():
            for form in valid:
                if form.instance.pk:
                    result.updated += 1
                else:
                    result.created += 1
                form.save()
        return result

    def _messages(self, line: int, form: forms.ModelForm) -> list[str]:
        header = {name: column for column, name in self.columns.items()}
        return [
            _("Regel %(line)d, %(column)s: %(message)s") % {"line": line, "column": header[name], "message": message}
            if name in header
            else _("Regel %(line)d: %(message)s") % {"line": line, "message": message}
            for name, messages_ in form.errors.items()
            for message in messages_
        ]


class ImportCommand(BaseCommand):
    """`manage.py <command> FILE`: imports the file with `importer`, or lists every error and writes nothing."""

    importer: ClassVar[type[CsvImporter]]

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV-bestand (UTF-8, komma of puntkomma)"))

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                result = self.importer().run_bytes(handle.read())
        except OSError as error:
            raise CommandError(str(error)) from None
        if not result.ok:
            raise CommandError(_("Niets geïmporteerd.") + "\n" + "\n".join(result.errors))
        self.stdout.write(self.style.SUCCESS(result.summary()))
