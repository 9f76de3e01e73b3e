"""Who sees and changes what: recruiters their own tracks, managers everything read-only, nobody without login."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from intake.choices import Step, TransitionKind
from intake.models import Candidate
from intake.selectors import BEHEERDER_GROUP, MANAGER_GROUP, RECRUITER_GROUP

from .factories import CandidateFactory, UserFactory, track

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


@pytest.fixture
def nwt_candidate():
    return CandidateFactory(instroomspoor=track("nwt"))


def transition_post(candidate):
    return {"kind": "afwijzing", "afwijzing-version": candidate.version, "afwijzing-occurred_at": TODAY}


def test_roles_are_groups_with_permissions_from_a_migration():
    permissions = {
        group.name: {p.codename for p in group.permissions.all()}
        for group in Group.objects.filter(name__in=[RECRUITER_GROUP, MANAGER_GROUP, BEHEERDER_GROUP])
    }
    assert {"view_candidate", "add_candidate", "change_candidate"} <= permissions[RECRUITER_GROUP]
    assert "view_candidate" in permissions[MANAGER_GROUP]
    assert not {"add_candidate", "change_candidate"} & permissions[MANAGER_GROUP]
    assert {"change_reason", "change_lichting", "change_user"} <= permissions[BEHEERDER_GROUP]


@pytest.mark.parametrize(
    "url", ["/", "/kandidaten/", "/kandidaten/bord/", "/kandidaten/nieuw/", "/kandidaten/importeren/"]
)
def test_every_workspace_page_asks_to_log_in_first(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_recruiter_does_not_find_candidates_of_other_tracks_in_the_list(client, recruiter, nwt_candidate):
    own = CandidateFactory()
    client.force_login(recruiter)
    page = client.get("/kandidaten/").content.decode()
    assert own.number in page and nwt_candidate.number not in page


@pytest.mark.parametrize("suffix", ["", "wijzigen/", "overgangen/"])
def test_candidate_of_another_track_is_not_found_for_a_recruiter(client, recruiter, nwt_candidate, suffix):
    client.force_login(recruiter)
    assert client.get(f"/kandidaten/{nwt_candidate.pk}/{suffix}").status_code == 404


def test_recruiter_cannot_move_or_annotate_a_candidate_of_another_track(client, recruiter, nwt_candidate):
    client.force_login(recruiter)
    assert client.post(f"/kandidaten/{nwt_candidate.pk}/overgang/", transition_post(nwt_candidate)).status_code == 404
    assert client.post(f"/kandidaten/{nwt_candidate.pk}/notities/", {"text": "x"}).status_code == 404
    nwt_candidate.refresh_from_db()
    assert nwt_candidate.version == 1 and not nwt_candidate.notes.exists()


def test_manager_reads_every_candidate_without_any_way_to_change_it(client, manager, nwt_candidate):
    client.force_login(manager)
    response = client.get(f"/kandidaten/{nwt_candidate.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and nwt_candidate.full_name in page
    assert "Overgang vastleggen" not in page and "Nieuwe notitie" not in page and "Wijzigen" not in page
    assert "Actie voor de geselecteerde kandidaten" not in client.get("/kandidaten/").content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/kandidaten/{pk}/overgang/"),
        ("post", "/kandidaten/{pk}/notities/"),
        ("get", "/kandidaten/{pk}/wijzigen/"),
        ("get", "/kandidaten/nieuw/"),
        ("get", "/kandidaten/importeren/"),
        ("post", "/kandidaten/bulk/"),
    ],
)
def test_manager_is_forbidden_every_change(client, manager, nwt_candidate, method, url):
    client.force_login(manager)
    data = {**transition_post(nwt_candidate), "text": "x", "bulk-action": "doorzetten"}
    response = getattr(client, method)(url.format(pk=nwt_candidate.pk), data if method == "post" else None)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    nwt_candidate.refresh_from_db()
    assert nwt_candidate.version == 1


def test_bulk_action_leaves_candidates_of_other_tracks_alone(client, recruiter, nwt_candidate):
    client.force_login(recruiter)
    response = client.post(
        "/kandidaten/bulk/",
        {
            "bulk-action": TransitionKind.DOORZETTEN,
            "bulk-selected": [f"{nwt_candidate.pk}:1"],
            "bulk-occurred_at": TODAY,
        },
        follow=True,
    )
    assert "Niet gevonden, of u mag deze kandidaat niet wijzigen." in response.content.decode()
    assert Candidate.objects.get(pk=nwt_candidate.pk).step == Step.AANMELDING


def test_beheerder_may_change_candidates_of_every_track(client, beheerder, nwt_candidate):
    client.force_login(beheerder)
    assert "Overgang vastleggen" in client.get(f"/kandidaten/{nwt_candidate.pk}/").content.decode()


def test_permissions_come_from_the_user_and_their_groups_in_one_query(django_assert_num_queries):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    user.user_permissions.add(Permission.objects.get(codename="add_candidatenote"))
    with django_assert_num_queries(1):
        assert user.has_perm("intake.view_all_tracks")  # through the manager group
        assert user.has_perm("intake.add_candidatenote")  # the user's own
        assert not user.has_perm("intake.change_candidate")
    user.is_active = False
    assert not user.has_perm("intake.view_all_tracks")
    assert UserFactory(is_superuser=True).has_perm("intake.handle_data_requests")
