"""The report endpoints of the API: the dashboard's numbers, aggregates only, for managers' tokens."""

import csv
import datetime
import io
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.utils.http import http_date

from intake.choices import ApiScope, PersonnelCategory, TransitionKind
from intake.models import AuditAction, AuditEntry
from intake.tests.api.fuzzing import run_schemathesis
from intake.tests.factories import api_token, bearer, branch, track
from reports import selectors, services
from reports.api.docs import ENDPOINTS
from reports.api.serializers import ReportSerializer
from reports.choices import Granularity
from reports.models import PlanFigure
from reports.suppression import SMALL

from .history import applicant, day, leave

pytestmark = pytest.mark.django_db

AS_OF = day("2025-10-01")
RETENTION = "/api/v1/reports/retention"


def url(name: str) -> str:
    return f"/api/v1/reports/{name}"


@pytest.fixture
def seeded():
    """Six beroeps candidates of 2025, all appointed and two of them gone again, and two Dienjaar candidates
    (a small group); returns them, so tests can look for their personal data in the answers."""
    candidates = []
    for n in range(6):
        candidate = applicant(
            "2025-01-06", [10, 20, 20, 20, 20, 60, 90], first_name=f"Voornaam{n}", last_name=f"Achternaam{n}"
        )
        if n % 3 == 0:
            leave(candidate, TransitionKind.UITSTROOM, "uts-eigen-verzoek", "2025-09-20")
        candidates.append(candidate)
    for n in range(2):
        candidates.append(
            applicant(
                "2025-02-03",
                [7, 14],
                instroomspoor=track("dienjaar"),
                krijgsmachtdeel=branch("KM"),
                first_name=f"Dienjaarder{n}",
                email=f"dienjaarder{n}@example.nl",
            )
        )
    services.report_recompute(as_of=AS_OF)
    return candidates


def shown(cell):
    """A dashboard cell as the API must give it: the marker of a suppressed cell, else the value."""
    if cell.marker:
        return cell.marker
    return str(cell.value) if cell.kind == "text" and cell.value is not None else cell.value


@pytest.mark.parametrize(
    "filters",
    [
        {"year": 2025, "granularity": Granularity.QUARTER},
        {"year": 2025, "track": "dienjaar", "branch": "KM", "gender": "vrouw"},
    ],
)
def test_every_report_endpoint_gives_the_dashboards_numbers_for_the_same_filters(
    client, seeded, manager, reports_token, filters
):
    client.force_login(manager)
    dashboard_filters = {"instroomspoor": "track", "krijgsmachtdeel": "branch"}
    dashboard = client.get(
        "/rapportages/", {name: filters[key] for name, key in dashboard_filters.items() if key in filters} | filters
    ).context["reports"]
    client.logout()
    for name, (key, *_docs) in ENDPOINTS.items():
        response = client.get(url(name), filters, **bearer(reports_token))
        assert response.status_code == 200, name
        body = response.json()
        report = dashboard[key]
        assert body["report"] == name
        assert body["title"] == str(report.title)
        assert [c["key"] for c in body["columns"]] == [c.key for c in report.columns]
        expected = [{c.key: shown(row[c.key]) for c in report.columns} for row in report.rows]
        assert body["rows"] == expected, name
    assert body["filters"]["year"] == 2025


def test_retention_shows_the_appointment_cohort_with_small_groups_as_a_marker(client, seeded, reports_token):
    body = client.get(RETENTION, {"year": 2025}, **bearer(reports_token)).json()
    assert body["rows"] == [
        {"period": "Sep 2025", "appointed": 6, "m3": None, "m6": None, "m12": None, "m24": None},
    ]
    funnel = client.get(url("funnel"), {"year": 2025, "track": "dienjaar"}, **bearer(reports_token)).json()
    werving = funnel["rows"][0]
    assert werving["phase"] == "Werving"
    # Two Dienjaar candidates: the count is the marker, and nowhere is the 2 itself.
    assert werving["reached"] == SMALL
    assert 2 not in [value for row in funnel["rows"] for value in row.values()]


def test_report_answers_carry_no_personal_data(client, seeded, reports_token):
    personal = []
    for candidate in seeded:
        personal += [candidate.first_name, candidate.last_name, candidate.email, candidate.number, candidate.phone]
    for name in ENDPOINTS:
        for params in [{"year": 2025}, {"year": 2025, "track": "dienjaar", "format": "csv"}]:
            text = client.get(url(name), params, **bearer(reports_token)).content.decode()
            for value in personal:
                assert value not in text, (name, value)
            # Nor links to the candidates behind a figure, and so no candidate ids.
            assert "/kandidaten" not in text and "url" not in text
            assert "candidate" not in text.lower()


def test_a_reports_token_reads_reports_but_gets_403_on_candidates(client, seeded, reports_token):
    assert client.get(RETENTION, **bearer(reports_token)).status_code == 200
    response = client.get("/api/v1/candidates", **bearer(reports_token))
    assert response.status_code == 403
    assert response.json()["detail"] == "Dit token heeft de scope candidates:read niet."


def test_reports_need_the_scope_and_a_manager_or_beheerder_behind_it(client, seeded, manager, beheerder, recruiter):
    candidates_token = api_token(manager, ApiScope.CANDIDATES_READ)
    response = client.get(RETENTION, **bearer(candidates_token))
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    # A recruiter's token stays within the recruiter's candidates, whatever its scopes say.
    recruiters_token = api_token(recruiter, ApiScope.REPORTS_READ)
    response = client.get(RETENTION, **bearer(recruiters_token))
    assert response.status_code == 403
    assert response.json()["detail"] == "Rapportages zijn er voor managers en beheerders."
    assert client.get(RETENTION).status_code == 401
    client.force_login(recruiter)
    assert client.get(RETENTION).status_code == 403
    for person in (manager, beheerder):
        client.force_login(person)
        assert client.get(RETENTION).status_code == 200


def test_before_the_first_recompute_the_reports_answer_409_not_computed(client, reports_token):
    response = client.get(RETENTION, **bearer(reports_token))
    assert response.status_code == 409
    assert response.json() == {
        "status": 409,
        "code": "not_computed",
        "detail": "De cijfers zijn nog niet berekend. Probeer het na de eerste herberekening opnieuw.",
        "fields": {},
    }


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"track": "bestaat-niet"}, "track", "bestaat niet"),
        ({"branch": "XX"}, "branch", "bestaat niet"),
        ({"branch": "\x00KL"}, "branch", "Ongeldige waarde."),
        ({"gender": "onzin"}, "gender", "is een ongeldige keuze"),
        ({"year": "1800"}, "year", "2021"),
        ({"year": "2999"}, "year", "Er zijn nog geen cijfers voor een jaar na dit jaar."),
        ({"year": "vorig"}, "year", "geldig getal"),
        ({"granularity": "eeuw"}, "granularity", "is een ongeldige keuze"),
    ],
)
def test_an_invalid_filter_is_a_400_naming_the_parameter(client, seeded, reports_token, params, field, message):
    response = client.get(RETENTION, params, **bearer(reports_token))
    assert response.status_code == 400
    body = response.json()
    assert list(body["fields"]) == [field]
    assert message in body["fields"][field][0]


def test_empty_filters_mean_all(client, seeded, reports_token):
    response = client.get(RETENTION, {"track": "", "branch": "", "gender": "", "year": 2025}, **bearer(reports_token))
    assert response.status_code == 200
    assert response.json()["filters"] == {
        "track": "",
        "branch": "",
        "gender": "",
        "year": 2025,
        "granularity": "month",
    }


@pytest.mark.parametrize(
    ("extra", "status"),
    [({"HTTP_ACCEPT": "application/xml"}, 406), ({"QUERY_STRING": "format=xml"}, 404)],
)
def test_a_format_the_reports_do_not_have_is_refused_in_json(client, seeded, reports_token, extra, status):
    response = client.get(RETENTION, **bearer(reports_token), **extra)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_reports_are_throttled_per_token_with_retry_after(client, seeded, reports_token, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "2/min", "user": "2/min", "anon": "2/min"},
    }
    statuses = [client.get(RETENTION, **bearer(reports_token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_conditional_get_is_304_until_the_next_recompute(client, seeded, reports_token):
    first = client.get(RETENTION, **bearer(reports_token))
    computed_at = first.json()["computed_at"]
    assert first["Last-Modified"] == http_date(int(datetime.datetime.fromisoformat(computed_at).timestamp()))
    again = client.get(RETENTION, **bearer(reports_token), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(RETENTION, **bearer(reports_token), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # Other filters are another representation, with their own ETag.
    other = client.get(RETENTION, {"track": "dienjaar"}, **bearer(reports_token), HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200
    services.report_recompute(as_of=AS_OF)
    after = client.get(RETENTION, **bearer(reports_token), HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after.json()["computed_at"] > computed_at


def test_csv_has_the_rows_with_markers_and_the_export_is_audited(client, seeded, manager, reports_token):
    response = client.get(url("funnel"), {"year": 2025, "track": "dienjaar", "format": "csv"}, **bearer(reports_token))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="funnel-2025.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["phase", "reached", "step_conversion", "conversion", "in_process", "entered"]
    assert rows[0]["phase"] == "Werving" and rows[0]["reached"] == SMALL
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.actor, export.object_type, export.object_id) == (manager, "reports.report", "trechter")
    assert export.detail["via"] == "api" and export.detail["filters"]["track"] == "dienjaar"
    by_header = client.get(RETENTION, **bearer(reports_token), HTTP_ACCEPT="text/csv")
    assert by_header.content.decode().splitlines()[0] == "period,appointed,m3,m6,m12,m24"
    # Reading the figures as JSON is not an export.
    client.get(RETENTION, **bearer(reports_token))
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


def test_an_empty_report_in_csv_still_has_its_header(client, seeded, reports_token):
    response = client.get(url("drop-out"), {"year": 2021, "format": "csv"}, **bearer(reports_token))
    assert response.content.decode() == "phase,kind,reason,count\r\n"


def test_dashboard_exports_are_audited(client, seeded, manager):
    client.force_login(manager)
    client.get("/rapportages/export/behoud.xlsx", {"year": 2025})
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.object_id, export.detail["format"], export.detail["via"]) == ("behoud", "xlsx", "dashboard")


@pytest.mark.parametrize("extra_candidates", [0, 4])
def test_a_report_reads_a_fixed_number_of_queries(
    client, seeded, reports_token, django_assert_num_queries, extra_candidates
):
    for _ in range(extra_candidates):
        applicant("2025-03-03", [10, 20, 20, 20, 20, 60, 90])
    services.report_recompute(as_of=AS_OF)
    client.get(RETENTION, **bearer(reports_token))  # notes the token's first use, once a minute at most
    # 1 the token and its owner, 2 the owner's permissions, own and of groups (may view reports), 3 the last
    # successful run, 4-6 the funnel, cohort and retention snapshots protected together.
    with django_assert_num_queries(6):
        assert client.get(RETENTION, {"year": 2025}, **bearer(reports_token)).status_code == 200
    # The same report of the same run again: 1-3 as above, the answer itself from the cache, serialized already.
    with (
        django_assert_num_queries(3),
        patch.object(ReportSerializer, "to_representation", side_effect=AssertionError("serialized again")),
    ):
        assert client.get(RETENTION, {"year": 2025}, **bearer(reports_token)).status_code == 200


def test_a_cached_report_is_the_same_answer_as_a_computed_one(client, seeded, reports_token):
    for name in ENDPOINTS:
        for fmt in ["json", "csv"]:
            first = client.get(url(name), {"year": 2025, "format": fmt}, **bearer(reports_token))
            cache.delete(selectors.CACHE_GENERATION_KEY)  # the next read computes the report again
            computed = client.get(url(name), {"year": 2025, "format": fmt}, **bearer(reports_token))
            cached = client.get(url(name), {"year": 2025, "format": fmt}, **bearer(reports_token))
            assert first.content == computed.content == cached.content, (name, fmt)


def test_a_new_recompute_is_read_instead_of_the_cached_figures(client, seeded, reports_token):
    def appointed():
        rows = client.get(url("funnel"), {"year": 2025}, **bearer(reports_token)).json()["rows"]
        return rows[-1]["reached"]

    assert appointed() == 6
    applicant("2025-03-03", [10, 20, 20, 20, 20, 60, 90])
    assert appointed() == 6  # the same run: its snapshot has not changed
    services.report_recompute(as_of=AS_OF)
    assert appointed() == 7


def test_a_changed_plan_figure_is_read_at_once(client, seeded, manager, reports_token):
    def plan_2025():
        rows = client.get(url("plan-realisation"), **bearer(reports_token)).json()["rows"]
        return next(r["2025"] for r in rows if (r["line"], r["measure"]) == ("Beroepsmilitair", "Plancijfer"))

    figure = PlanFigure.objects.get(
        year=2025, personnel_category=PersonnelCategory.BEROEPSMILITAIR, krijgsmachtdeel=None
    )
    assert plan_2025() == figure.target
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.post(
        f"/beheer/reports/planfigure/{figure.pk}/change/",
        {"year": 2025, "personnel_category": figure.personnel_category, "target": 7000, "source": figure.source},
    )
    assert response.status_code == 302
    client.logout()
    assert plan_2025() == 7000


@pytest.mark.django_db(transaction=True)
def test_report_endpoints_conform_to_the_schema_under_fuzzing(live_server, settings, manager, monkeypatch, tmp_path):
    applicant("2025-01-06", [10, 20, 20, 20, 20, 60, 90])
    services.report_recompute(as_of=AS_OF)
    key = api_token(manager, ApiScope.REPORTS_READ, name="Schemathesis")
    run_schemathesis(
        live_server,
        settings,
        monkeypatch,
        tmp_path,
        key=key,
        report="schemathesis-reports",
        # The report endpoints link to no other operation: nothing stateful to test.
        options=["--include-path-regex", "^/api/v1/reports/", "--phases", "examples,coverage,fuzzing"],
    )
