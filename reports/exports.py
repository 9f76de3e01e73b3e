"""CSV and XLSX files of a report table, as shown: suppressed cells keep their marker, never their value."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from intake.exports import neutralise

from .selectors import Report


def _text(cell) -> str:
    if cell is None or (cell.value is None and not cell.marker):
        return ""
    return neutralise(str(cell))


def to_csv(report: Report) -> bytes:
    # Semicolons and a byte order mark: what Excel with Dutch settings opens correctly.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([neutralise(c.label) for c in report.columns])
    for row in report.rows:
        writer.writerow([_text(row.get(c.key)) for c in report.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.key[:31]
    sheet.append([neutralise(c.label) for c in report.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        values = []
        for column in report.columns:
            cell = row.get(column.key)
            if cell is not None and not cell.marker and isinstance(cell.value, int | float):
                values.append(cell.value)
            else:
                values.append(_text(cell) or None)
        sheet.append(values)
        for column, written in zip(report.columns, sheet[sheet.max_row], strict=True):
            if column.kind == "percent":
                written.number_format = "0.0%"
            elif column.kind == "days":
                written.number_format = "0.0"
    if report.computed_at:
        sheet.append([])
        sheet.append(
            [_("Berekend op %(moment)s") % {"moment": f"{timezone.localtime(report.computed_at):%d-%m-%Y %H:%M}"}]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
