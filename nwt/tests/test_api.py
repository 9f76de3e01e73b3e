import pytest

from intake.choices import ApiScope
from intake.tests.factories import api_token, bearer

from .factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_token(manager):
    """Reference data holds no personal data: even a reports-only token reads it."""
    return api_token(manager, ApiScope.REPORTS_READ, name="BI")


@pytest.mark.parametrize("rows", [1, 6])
def test_partner_schools_are_listed_in_a_fixed_number_of_queries(
    client, reports_token, django_assert_num_queries, rows
):
    for number in range(rows):
        SchoolFactory(name=f"School {number}")
    client.get("/api/v1/schools", **bearer(reports_token))
    # the token with its owner, the count, the page
    with django_assert_num_queries(3):
        response = client.get("/api/v1/schools", **bearer(reports_token))
    assert response.json()["count"] == rows


def test_a_partner_school_by_id_and_the_list_as_csv(client, reports_token):
    school = SchoolFactory(name="Saxion", city="Enschede")
    assert client.get(f"/api/v1/schools/{school.pk}", **bearer(reports_token)).json()["city"] == "Enschede"
    lines = client.get("/api/v1/schools", {"format": "csv"}, **bearer(reports_token)).content.decode().splitlines()
    assert lines == ["id,name,level,city,partner_since", f"{school.pk},Saxion,hbo,Enschede,2025-02-01"]
    assert client.get("/api/v1/schools/0", **bearer(reports_token)).status_code == 404
