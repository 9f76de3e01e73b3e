"""CSV output for list endpoints and reports: `?format=csv` or `Accept: text/csv`."""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer

from intake.exports import neutralise as neutralise_formula


def neutralise(value) -> str | int | float:
    """One CSV cell: empty for None, JSON for nested lists, and text a spreadsheet would run made harmless."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise_formula(str(value))


def flatten(row: dict, prefix: str = "") -> dict:
    """Nested objects become dotted columns: {"track": {"code": "nwt"}} → {"track.code": "nwt"}."""
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class CSVRenderer(BaseRenderer):
    """Renders the rows of a response as CSV with a header line. The rows are the response itself when it is a
        list, else the list under the view's `csv_rows_key` ("results", the page of a paginated list, by default),
        else the one object. The file name in Content-Disposition is the view's `csv_filename`; an empty table's
    header comes from the view's `csv_header(data)` or its serializer's fields."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        rows = self._rows(data, getattr(view, "csv_rows_key", "results"))
        columns = list(dict.fromkeys(column for row in rows for column in row))
        if not columns:
            # An empty table still gets its header, so an importing system sees the same columns every time.
            columns = self._header(data, view)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row.get(column)) for column in columns])
        response = renderer_context.get("response")
        if response is not None:
            filename = getattr(view, "csv_filename", "export")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return buffer.getvalue().encode(self.charset)

    @staticmethod
    def _header(data, view) -> list[str]:
        # A view whose columns are not its serializer's fields (a report table) names them with `csv_header`.
        if hasattr(view, "csv_header"):
            return view.csv_header(data)
        if hasattr(view, "get_serializer"):
            return list(view.get_serializer().fields)
        return []

    @staticmethod
    def _rows(data, key: str) -> list[dict]:
        if isinstance(data, dict) and isinstance(data.get(key), list):
            data = data[key]
        if not isinstance(data, list):
            data = [data]
        return [flatten(row) if isinstance(row, dict) else {"value": row} for row in data]
