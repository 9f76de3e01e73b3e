"""Who may call what: tokens, their scopes and owners, sessions, and the admin that hands tokens out."""

import datetime

import pytest
from django.utils import timezone

from intake import services
from intake.choices import ApiScope
from intake.models import ApiToken
from intake.tests.factories import PASSWORD, CandidateFactory, UserFactory, api_token, bearer, track

pytestmark = pytest.mark.django_db

LIST = "/api/v1/candidates"


def test_without_credentials_the_api_answers_401_with_a_bearer_challenge(client):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": response.json()["detail"],
        "fields": {},
    }


@pytest.mark.parametrize("header", ["Bearer onzin", "Bearer", "Bearer a b"])
def test_a_wrong_token_is_401(client, header):
    response = client.get(LIST, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_revoked_token_stops_working(client, manager, read_token):
    assert client.get(LIST, **bearer(read_token)).status_code == 200
    token = ApiToken.objects.get()
    services.api_token_revoke(token_id=token.pk, actor=manager)
    response = client.get(LIST, **bearer(read_token))
    assert response.status_code == 401
    assert response.json()["detail"] == "Dit token is ingetrokken."


def test_an_expired_token_stops_working(client, manager):
    key = api_token(manager, ApiScope.CANDIDATES_READ, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(LIST, **bearer(key))
    assert response.status_code == 401
    assert response.json()["detail"] == "Dit token is verlopen."


def test_a_token_of_a_deactivated_owner_stops_working(client, manager, read_token):
    manager.is_active = False
    manager.save()
    assert client.get(LIST, **bearer(read_token)).status_code == 401


def test_reports_token_gets_403_on_every_candidate_endpoint(client, reports_token):
    candidate = CandidateFactory()
    calls = [
        ("get", LIST),
        ("get", f"{LIST}/{candidate.pk}"),
        ("get", f"{LIST}/{candidate.pk}/events"),
        ("post", LIST),
        ("patch", f"{LIST}/{candidate.pk}"),
        ("post", f"{LIST}/{candidate.pk}/transitions"),
        ("post", f"{LIST}/search"),
    ]
    for method, path in calls:
        response = getattr(client, method)(path, {}, content_type="application/json", **bearer(reports_token))
        assert response.status_code == 403, (method, path)
        body = response.json()
        assert body["code"] == "permission_denied"
        assert candidate.last_name not in response.content.decode()


def test_reports_token_may_read_reference_data(client, reports_token):
    assert client.get("/api/v1/tracks", **bearer(reports_token)).status_code == 200


def test_read_scope_does_not_allow_writing(client, read_token):
    candidate = CandidateFactory()
    response = client.patch(
        f"{LIST}/{candidate.pk}",
        {"version": 1, "phone": "0687654321"},
        content_type="application/json",
        **bearer(read_token),
    )
    assert response.status_code == 403
    assert "candidates:write" in response.json()["detail"]


def test_searching_is_reading_a_read_token_may_do_it(client, read_token):
    CandidateFactory(last_name="de Vries")
    response = client.post(f"{LIST}/search", {"q": "vries"}, content_type="application/json", **bearer(read_token))
    assert response.status_code == 200 and response.json()["count"] == 1


def test_recruiter_token_sees_and_writes_only_the_recruiters_tracks(client, recruiter_token):
    own = CandidateFactory(instroomspoor=track("beroeps"), last_name="de Vries")
    other = CandidateFactory(instroomspoor=track("nwt"), last_name="de Vries")
    listed = client.get(LIST, **bearer(recruiter_token)).json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    found = client.post(f"{LIST}/search", {"q": "vries"}, content_type="application/json", **bearer(recruiter_token))
    assert [row["id"] for row in found.json()["results"]] == [own.pk]
    assert client.get(f"{LIST}/{other.pk}", **bearer(recruiter_token)).status_code == 404
    for body in ({"version": 1, "kind": "doorzetten"}, {"version": 0}):  # a body with errors too: 404, not 400
        moved = client.post(
            f"{LIST}/{other.pk}/transitions", body, content_type="application/json", **bearer(recruiter_token)
        )
        assert moved.status_code == 404
    assert other.events.count() == 1
    withdraw = {"version": 1, "kind": "terugtrekking", "reason": "trk-persoonlijk"}
    moved = client.post(
        f"{LIST}/{own.pk}/transitions", withdraw, content_type="application/json", **bearer(recruiter_token)
    )
    assert moved.status_code == 201 and own.events.count() == 2
    created = client.post(
        LIST,
        {
            "instroomspoor": "nwt",
            "applied_on": str(timezone.localdate()),
            "first_name": "Piet",
            "last_name": "Smit",
            "birth_date": "2004-01-01",
            "email": "piet@example.nl",
            "krijgsmachtdeel": "KL",
            "source": "website",
        },
        content_type="application/json",
        **bearer(recruiter_token),
    )
    assert created.status_code == 400
    assert "instroomspoor" in created.json()["fields"]


def test_a_signed_in_person_uses_the_api_with_the_session_and_csrf(client, recruiter):
    own = CandidateFactory()
    client.force_login(recruiter)
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [own.pk]

    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(recruiter)
    response = csrf_client.patch(
        f"{LIST}/{own.pk}", {"version": 1, "phone": "0687654321"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_tokens_are_stored_hashed_and_note_their_last_use(client, read_token):
    token = ApiToken.objects.get()
    assert read_token not in (token.key_hash, token.key_prefix)
    assert token.key_hash == ApiToken.hash_key(read_token)
    assert read_token.startswith(token.key_prefix)
    assert token.last_used_at is None
    client.get(LIST, **bearer(read_token))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_admin_creates_a_token_and_shows_the_key_once(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@mindef.example", PASSWORD)
    owner = UserFactory(username="hr-koppeling")
    client.force_login(admin)
    response = client.post(
        "/beheer/intake/apitoken/add/",
        {"name": "HR-administratie", "owner": owner.pk, "scopes": ["candidates:read", "candidates:write"]},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if "api-token-key" in str(m)]
    assert len(shown) == 1
    key = shown[0].split('<code class="api-token-key">')[1].split("</code>")[0]
    assert ApiToken.hash_key(key) == token.key_hash
    assert token.scopes == ["candidates:read", "candidates:write"] and token.created_by == admin

    detail = client.get(f"/beheer/intake/apitoken/{token.pk}/change/")
    assert key not in detail.content.decode()
    assert client.get(LIST, **bearer(key)).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["reports:read"], "expires_at_0": "2020-01-01", "expires_at_1": "12:00:00"}, "expires_at"),
    ],
)
def test_admin_refuses_a_token_without_scopes_or_already_expired(client, django_user_model, fields, field):
    admin = django_user_model.objects.create_superuser("admin", "admin@mindef.example", PASSWORD)
    client.force_login(admin)
    response = client.post("/beheer/intake/apitoken/add/", {"name": "Koppeling", "owner": admin.pk, **fields})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert not ApiToken.objects.exists()


def test_admin_revokes_tokens_with_the_list_action(client, django_user_model, read_token):
    admin = django_user_model.objects.create_superuser("admin", "admin@mindef.example", PASSWORD)
    client.force_login(admin)
    token = ApiToken.objects.get()
    client.post("/beheer/intake/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.is_revoked and token.revoked_by == admin
    assert client.get(LIST, **bearer(read_token)).status_code == 401
