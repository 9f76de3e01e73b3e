import datetime

import pytest

from intake.tests.factories import bearer, branch, track

pytestmark = pytest.mark.django_db


def test_tracks_by_code(client, read_token):
    listed = client.get("/api/v1/tracks", **bearer(read_token)).json()
    assert {row["code"] for row in listed["results"]} == {"beroeps", "reservist", "dienjaar", "nwt", "defensity"}
    dienjaar = client.get("/api/v1/tracks/dienjaar", **bearer(read_token)).json()
    assert (dienjaar["personnel_category"], dienjaar["starts_in_lichtingen"]) == ("beroepsmilitair", True)
    assert client.get("/api/v1/tracks/bestaat-niet", **bearer(read_token)).status_code == 404


def test_branches_by_code(client, read_token):
    assert client.get("/api/v1/branches/KLU", **bearer(read_token)).json()["name"] == "Koninklijke Luchtmacht"


def test_reasons_filter_by_kind_and_phase_including_reasons_for_any_phase(client, read_token):
    response = client.get("/api/v1/reasons", {"kind": "terugtrekking", "phase": "opleiding"}, **bearer(read_token))
    codes = {row["code"] for row in response.json()["results"]}
    assert {"trk-startdatum", "trk-andere-baan"} <= codes
    assert not any(code.startswith("afw-") for code in codes)


def test_lichtingen_filter_by_track_and_start_as_csv(client, read_token):
    start = datetime.date(2026, 3, 2)
    common = {"end_date": start + datetime.timedelta(days=60), "capacity": 250}
    track("nwt").lichtingen.create(name="NWT 2026-1", start_date=start, location="Ermelo", **common)
    track("dienjaar").lichtingen.create(
        name="Dienjaar 2026-1", start_date=start, krijgsmachtdeel=branch("KL"), **common
    )
    response = client.get("/api/v1/lichtingen", {"instroomspoor": "nwt", "format": "csv"}, **bearer(read_token))
    lines = response.content.decode().splitlines()
    assert lines[0] == "id,name,instroomspoor,krijgsmachtdeel,start_date,end_date,location,capacity"
    assert len(lines) == 2 and ",NWT 2026-1,nwt,,2026-03-02,2026-05-01,Ermelo,250" in lines[1]


def test_empty_csv_still_has_its_header(client, read_token):
    response = client.get("/api/v1/lichtingen", {"format": "csv"}, **bearer(read_token))
    assert response.content.decode().splitlines() == [
        "id,name,instroomspoor,krijgsmachtdeel,start_date,end_date,location,capacity"
    ]


@pytest.mark.parametrize("rows", [1, 8])
def test_lichtingen_list_takes_a_fixed_number_of_queries(client, read_token, django_assert_num_queries, rows):
    start = datetime.date(2026, 1, 5)
    for number in range(rows):
        track("nwt").lichtingen.create(
            name=f"NWT {number}", start_date=start, end_date=start + datetime.timedelta(days=60), capacity=10
        )
    client.get("/api/v1/lichtingen", **bearer(read_token))
    # 1 token with its owner, 2 count, 3 the page with track and branch
    with django_assert_num_queries(3):
        response = client.get("/api/v1/lichtingen", **bearer(read_token))
    assert response.json()["count"] == rows
