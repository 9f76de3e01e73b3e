"""The data behind the dashboard's charts, taken from the (already suppressed) report rows: a suppressed cell
becomes a gap in the chart, never its true value."""

from django.utils.translation import gettext as _

from intake.choices import Phase

from .choices import StageType
from .selectors import Report


def _values(report: Report, key: str, rows=None) -> list:
    return [row[key].value for row in (report.rows if rows is None else rows)]


def chart_data(reports: dict[str, Report]) -> dict:
    funnel, flow, lead_times = reports["trechter"], reports["instroom-per-fase"], reports["doorlooptijden"]
    steps = [row for row in lead_times.rows if row["stage_type"].value == StageType.STEP.label]
    periods = flow.rows[:-1] if len(flow.rows) > 1 else flow.rows
    dropout = sorted(
        (row for row in reports["uitval"].rows if row["count"].value is not None),
        key=lambda row: -row["count"].value,
    )[:10]
    return {
        "text": {
            "reached": _("Bereikt"),
            "median": _("Mediaan"),
            "p80": _("80e percentiel"),
            "p90": _("90e percentiel"),
            "count": _("Aantal"),
            "realised": _("Gerealiseerd"),
            "plan": _("Plancijfer"),
            "applied": _("Aanmeldingen"),
            "appointed": _("Aanstellingen"),
        },
        "funnel": {"labels": _values(funnel, "phase"), "reached": _values(funnel, "reached")},
        "leadTimes": {
            "labels": _values(lead_times, "stage", steps),
            "median": _values(lead_times, "median", steps),
            "p80": _values(lead_times, "p80", steps),
            "p90": _values(lead_times, "p90", steps),
        },
        "dropout": {
            "labels": [row["reason"].value for row in dropout],
            "counts": [row["count"].value for row in dropout],
        },
        "plan": _plan_chart(reports["plan-realisatie"]),
        "trend": {
            "labels": _values(flow, "period", periods),
            "applied": _values(flow, Phase.WERVING, periods),
            "appointed": _values(flow, Phase.AANGESTELD, periods),
        },
    }


def _plan_chart(report: Report) -> dict:
    # The plan table has several rows per plan line; the chart shows the first line.
    line = [row for row in report.rows if row["line"].value == report.rows[0]["line"].value] if report.rows else []
    rows = {row["_measure"].value: row for row in line}
    years = [c.key for c in report.columns[2:]]

    def realised(year):
        # Our own count where there is one, else the published figure.
        for measure in ("realised", "published"):
            if measure in rows and rows[measure][year].value is not None:
                return rows[measure][year].value
        return None

    return {
        "title": line[0]["line"].value if line else "",
        "labels": years,
        "realised": [realised(y) for y in years],
        "plan": [rows["plan"][y].value if rows else None for y in years],
    }
