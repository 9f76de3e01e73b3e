"""OpenAPI texts and examples of the report endpoints (error responses come from `intake.api.schema`)."""

from drf_spectacular.utils import OpenApiExample, extend_schema

from intake.api.docs import NOT_MODIFIED
from intake.api.exceptions import error_body

from .serializers import ReportFilterSerializer, ReportSerializer

COMPUTED_AT = "2026-04-01T03:12:09+02:00"
FILTERS = {"track": "", "branch": "", "gender": "", "year": 2026, "granularity": "month"}


def _body(report, title, columns, rows, note="", **filters):
    return {
        "report": report,
        "title": title,
        "computed_at": COMPUTED_AT,
        "filters": {**FILTERS, **filters},
        "columns": [{"key": key, "label": label, "kind": kind} for key, label, kind in columns],
        "rows": [dict(zip([key for key, _label, _kind in columns], row, strict=True)) for row in rows],
        "note": note,
    }


# name in the path: (key in reports.selectors.REPORTS, summary, description, example body)
ENDPOINTS = {
    "funnel": (
        "trechter",
        "Trechter",
        "Van wie zich in het jaar aanmeldde: per fase hoeveel die bereikten, de conversie vanaf de vorige fase en "
        "vanaf de aanmelding, hoeveel er nog in de fase zitten, en hoeveel er in het jaar de fase instroomden.",
        _body(
            "funnel",
            "Trechter 2026",
            [
                ("phase", "Fase", "text"),
                ("reached", "Bereikt", "count"),
                ("step_conversion", "Conversie vanaf vorige fase", "percent"),
                ("conversion", "Conversie vanaf aanmelding", "percent"),
                ("in_process", "Nog in deze fase", "count"),
                ("entered", "Ingestroomd in het jaar", "count"),
            ],
            [
                ["Werving", 1840, None, 1.0, 412, 1840],
                ["Selectie", 1102, 0.599, 0.599, 388, 1260],
                ["Opleiding", 12, "x", "x", 7, 40],
                ["Aangesteld", "<5", "<5", "<5", 0, 31],
            ],
            note="Bereikt, conversie en 'nog in deze fase' gaan over wie zich in het jaar aanmeldde.",
        ),
    ),
    "lead-times": (
        "doorlooptijden",
        "Doorlooptijden",
        "Dagen per stap, per fase en van aanmelding tot aanstelling voor het aanmeldcohort van het jaar: mediaan, "
        "80e en 90e percentiel, met het aantal kandidaten dat de stap afrondde.",
        _body(
            "lead-times",
            "Doorlooptijden in dagen, aanmeldcohort 2026",
            [
                ("stage_type", "Soort", "text"),
                ("stage", "Stap of fase", "text"),
                ("completed", "Afgerond", "count"),
                ("median", "Mediaan", "days"),
                ("p80", "80e percentiel", "days"),
                ("p90", "90e percentiel", "days"),
            ],
            [
                ["Stap", "Oriëntatiegesprek", 960, 9.0, 15.0, 21.0],
                ["Stap", "Veiligheidsonderzoek", "<5", "<5", "<5", "<5"],
                ["Fase", "Selectie", 702, 31.5, 44.0, 58.0],
            ],
        ),
    ),
    "drop-out": (
        "uitval",
        "Uitval naar fase en reden",
        "Wie in het jaar de instroomketen verliet (afgewezen, teruggetrokken, uitgevallen, uitgestroomd), per fase, "
        "soort en reden.",
        _body(
            "drop-out",
            "Uitval 2026 naar fase en reden",
            [
                ("phase", "Fase", "text"),
                ("kind", "Soort", "text"),
                ("reason", "Reden", "text"),
                ("count", "Aantal", "count"),
            ],
            [
                ["Selectie", "Afwijzen", "Sporttest niet gehaald", 214],
                ["Keuring", "Afwijzen", "Medisch ongeschikt", 96],
                ["Opleiding", "Uitval", "Blessure", "<5"],
            ],
            year=2026,
        ),
    ),
    "plan-realisation": (
        "plan-realisatie",
        "Plan en realisatie",
        "Gerealiseerde aanstellingen tegenover de plancijfers (aanstellingsopdracht), per planregel en jaar, met de "
        "gepubliceerde realisatie. Plancijfers in VTE; geslacht is niet van toepassing.",
        _body(
            "plan-realisation",
            "Plan en realisatie van de aanstellingen",
            [
                ("line", "Plancijfer voor", "text"),
                ("measure", "Cijfer", "text"),
                ("2024", "2024", "count"),
                ("2025", "2025", "count"),
            ],
            [
                ["Beroepsmilitair", "Gerealiseerd (gepubliceerd)", 5420, 5138],
                ["Beroepsmilitair", "Plancijfer", 7250, 6969],
                ["Beroepsmilitair", "% gerealiseerd", 0.7476, 0.7373],
            ],
        ),
    ),
    "retention": (
        "behoud",
        "Behoud per aanstellingscohort",
        "Per aanstellingscohort (maand, kwartaal of jaar van aanstelling; het gekozen jaar en de twee ervoor): "
        "hoeveel er zijn aangesteld en welk aandeel na 3, 6, 12 en 24 maanden nog in dienst is. `null`: het "
        "cohort is nog niet zo lang geleden aangesteld.",
        _body(
            "retention",
            "Behoud na aanstelling, per aanstellingscohort",
            [
                ("period", "Aangesteld in", "text"),
                ("appointed", "Aangesteld", "count"),
                ("m3", "Na 3 maanden", "percent"),
                ("m6", "Na 6 maanden", "percent"),
                ("m12", "Na 12 maanden", "percent"),
                ("m24", "Na 24 maanden", "percent"),
            ],
            [
                ["Jan 2025", 87, 0.954, 0.908, 0.621, None],
                ["Feb 2025", "<5", "<5", "<5", "<5", None],
                ["Mrt 2025", 64, 0.969, 0.922, None, None],
            ],
            note="Aandeel nog in dienst; '-' betekent dat het cohort nog niet zo lang geleden is aangesteld.",
            track="dienjaar",
        ),
    ),
    "forecast": (
        "prognose",
        "Prognose aanstellingen",
        "Verwachte aanstellingen aan het eind van het lopende jaar per instroomspoor en personeelscategorie, "
        "tegenover het plancijfer: wie is aangesteld, plus per kandidaat in behandeling de historische kans op "
        "aanstelling vóór het jaareinde.",
        _body(
            "forecast",
            "Prognose aanstellingen 2026",
            [
                ("line", "Instroomspoor of categorie", "text"),
                ("realised", "Aangesteld tot nu", "count"),
                ("open", "In behandeling", "count"),
                ("expected", "Verwacht erbij", "count"),
                ("forecast", "Prognose jaareinde", "count"),
                ("plan", "Plancijfer", "count"),
                ("forecast_share", "Prognose t.o.v. plan", "percent"),
            ],
            [
                ["Dienjaar", 402, 633, 511, 913, 1500, 0.6087],
                ["NWT", "<5", 88, "x", "x", 1000, "x"],
            ],
        ),
    ),
}


def csv_example(name: str) -> str:
    """The example body's rows as the CSV renderer writes them."""
    body = ENDPOINTS[name][3]
    keys = [column["key"] for column in body["columns"]]
    lines = [",".join(keys), *(",".join("" if row[k] is None else str(row[k]) for k in keys) for row in body["rows"])]
    return "\r\n".join(lines) + "\r\n"


NOT_COMPUTED = (
    "De cijfers zijn nog niet berekend: er is nog geen geslaagde herberekening. Probeer het later opnieuw.",
    [
        OpenApiExample(
            "Nog niet berekend",
            error_body(
                409,
                "not_computed",
                "De cijfers zijn nog niet berekend. Probeer het na de eerste herberekening opnieuw.",
            ),
        )
    ],
)


def report_schema(name: str):
    _key, summary, description, example = ENDPOINTS[name]
    return extend_schema(
        summary=summary,
        description=description
        + "\n\nAlleen geaggregeerde cijfers, gelezen uit de laatst berekende momentopname, met dezelfde filters "
        "als het dashboard. Groepen van 1 tot 4 personen staan er als `<5`, een cel die er een zou verraden als "
        "`x`. Met ETag en Last-Modified (het berekenmoment): stuur ze terug en krijg 304 zolang er niet opnieuw "
        "is gerekend. Met `format=csv` de rijen als CSV (kolomsleutels als kop).",
        parameters=[ReportFilterSerializer],
        responses={200: ReportSerializer, 304: NOT_MODIFIED},
        examples=[OpenApiExample(summary, example, response_only=True)],
    )
