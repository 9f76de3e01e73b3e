"""The error shape, rate limits, and the pieces report endpoints reuse (CSV, conditional GET)."""

import datetime

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from intake.api.base import ApiView
from intake.api.conditional import conditional_response
from intake.api.permissions import ANY_SCOPE
from intake.api.renderers import CSVRenderer
from intake.choices import ApiScope
from intake.tests.factories import api_token, bearer

pytestmark = pytest.mark.django_db

LIST = "/api/v1/candidates"


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "user": "3/min", "anon": "2/min"},
    }


def test_a_token_over_its_rate_gets_429_with_retry_after(client, low_rates, read_token, manager):
    for _ in range(3):
        assert client.get(LIST, **bearer(read_token)).status_code == 200
    response = client.get(LIST, **bearer(read_token))
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert 1 <= body["retry_after"] <= 60
    assert response["Retry-After"] == str(body["retry_after"])
    assert f"{body['retry_after']} seconden" in body["detail"]
    # Another token of the same owner has its own budget.
    other = api_token(manager, ApiScope.CANDIDATES_READ)
    assert client.get(LIST, **bearer(other)).status_code == 200


def test_guessing_tokens_is_throttled_per_ip_address(client, low_rates):
    statuses = [client.get(LIST, HTTP_AUTHORIZATION=f"Bearer gok-{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 429]
    other_ip = client.get(LIST, HTTP_AUTHORIZATION="Bearer gok", REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 401


def test_anonymous_callers_are_throttled_per_ip_address(client, low_rates):
    statuses = [client.get("/api/v1/tracks").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.parametrize(
    ("call", "status", "code"),
    [
        (lambda c, h: c.delete(f"{LIST}/1", **h), 405, "method_not_allowed"),
        (lambda c, h: c.post(LIST, "naam=Piet", content_type="application/x-www-form-urlencoded", **h), 415, None),
        (lambda c, h: c.post(LIST, "{kapot", content_type="application/json", **h), 400, "parse_error"),
        (lambda c, h: c.post(LIST, "[1, 2]", content_type="application/json", **h), 400, "invalid"),
        (lambda c, h: c.get(LIST, HTTP_ACCEPT="application/xml", **h), 406, "not_acceptable"),
        (lambda c, h: c.get(LIST, {"format": "xml"}, **h), 404, "not_found"),
        (
            lambda c, h: c.post(f"{LIST}/search", {"q": "a\x00b"}, content_type="application/json", **h),
            400,
            "null_characters_not_allowed",
        ),
        (lambda c, h: c.get(LIST, {"stalled_days": "99999999999"}, **h), 400, "max_value"),
    ],
)
def test_bad_requests_get_the_one_json_error_shape(client, write_token, call, status, code):
    response = call(client, bearer(write_token))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert {"status", "code", "detail", "fields"} <= set(body) and body["status"] == status
    assert body["detail"]
    if code:
        assert body["code"] == code


class Snapshot(ApiView):
    """A report-like endpoint: a fixed computed-at time and rows, as the report endpoints will have."""

    read_scope = ANY_SCOPE
    renderer_classes = [JSONRenderer, CSVRenderer]
    csv_rows_key = "rows"
    csv_filename = "trechter"
    computed_at = datetime.datetime(2026, 4, 1, 6, 0, tzinfo=datetime.UTC)

    def get(self, request):
        body = {
            "computed_at": self.computed_at,
            "rows": [{"cohort": "2025-1", "retention": 0.61, "label": "-intern"}, {"cohort": "2025-2"}],
        }
        return conditional_response(request, last_modified=self.computed_at, build=lambda: Response(body))


def get_snapshot(user, path="/r", **headers):
    request = APIRequestFactory().get(path, **headers)
    force_authenticate(request, user=user)
    response = Snapshot.as_view()(request)
    return response.render() if hasattr(response, "render") else response


def test_conditional_get_gives_304_for_a_current_copy_per_representation(manager):
    def get(path="/r", **headers):
        return get_snapshot(manager, path, **headers)

    first = get()
    assert first.status_code == 200
    assert first["Last-Modified"] == "Wed, 01 Apr 2026 06:00:00 GMT"
    assert "private" in first["Cache-Control"] and "Accept" in first["Vary"]
    assert get(HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert get(HTTP_IF_MODIFIED_SINCE="Tue, 31 Mar 2026 06:00:00 GMT").status_code == 200
    # The CSV copy and a filtered copy are other representations with their own ETag.
    assert get("/r?format=csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert get("/r?cohort=2025-1", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_csv_renders_the_rows_of_a_report_and_neutralises_formulas(manager):
    response = get_snapshot(manager, "/r?format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="trechter.csv"'
    assert response.content.decode().splitlines() == ["cohort,retention,label", "2025-1,0.61,'-intern", "2025-2,,"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+31612345678", "'+31612345678"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("-12.5", "-12.5"),
        (-3, "-3"),
        (True, "true"),
        (None, ""),
        ({"code": "nwt"}, None),
    ],
)
def test_csv_cells(value, cell):
    rendered = CSVRenderer().render([{"v": value}]).decode().splitlines()
    if cell is None:  # nested objects become dotted columns
        assert rendered == ["v.code", "nwt"]
    else:
        assert rendered[1].strip('"') == cell


def test_an_oversized_api_request_gets_413_in_the_error_shape(client, settings):
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/api/v1/candidates", data="{" + " " * 4096 + "}", content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
