"""CSV downloads that spreadsheet programs open safely, streamed so a large table never sits in memory."""

import csv
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is read as a formula by Excel and LibreOffice (CSV injection). Numbers
# written as text ("-3") are left alone: they are no formula and must stay numbers.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def neutralise(value):
    """Prefix text that a spreadsheet would execute with a quote, so it is shown as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not NUMBER.match(value):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable]) -> Iterable[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
