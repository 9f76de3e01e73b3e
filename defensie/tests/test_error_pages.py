import pytest
from django.db import OperationalError
from django.test import RequestFactory

from defensie.middleware import DatabaseUnavailableMiddleware


@pytest.mark.django_db
def test_a_lost_database_connection_shows_a_clear_503_page(recruiter):
    request = RequestFactory().get("/kandidaten/")
    request.user = recruiter
    middleware = DatabaseUnavailableMiddleware(lambda r: None)

    response = middleware.process_exception(request, OperationalError("connection to server was lost"))

    assert response.status_code == 503
    assert "niet bereikbaar" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_unknown_pages_get_the_dutch_404_page(client, recruiter):
    client.force_login(recruiter)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
