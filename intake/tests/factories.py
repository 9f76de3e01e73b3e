import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from intake import services
from intake.choices import ApiScope, Gender, Source, Step, TransitionKind, Verdict
from intake.models import Candidate, Instroomspoor, Krijgsmachtdeel, Lichting, Reason

PASSWORD = "geheim-wachtwoord-123"


def track(code: str) -> Instroomspoor:
    """The intake tracks are reference data loaded by a migration; tests look them up by code."""
    return Instroomspoor.objects.get(code=code)


def branch(code: str) -> Krijgsmachtdeel:
    return Krijgsmachtdeel.objects.get(code=code)


def reason(code: str) -> Reason:
    return Reason.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@mindef.example")
    password = factory.django.Password(PASSWORD)


class CandidateFactory(factory.Factory):
    """Builds candidates through `services.candidate_register`, so each starts with its aanmelding event."""

    class Meta:
        model = dict

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    birth_date = datetime.date(2004, 5, 17)
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.nl")
    phone = "0612345678"
    postcode = "3511 AB"
    gender = Gender.VROUW
    source = Source.WEBSITE
    applied_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=120))
    instroomspoor = factory.LazyFunction(lambda: track("beroeps"))
    krijgsmachtdeel = factory.LazyFunction(lambda: branch("KL"))
    actor = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.candidate_register(**kwargs)

    _build = _create


class LichtingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lichting

    instroomspoor = factory.LazyFunction(lambda: track("dienjaar"))
    name = factory.Sequence(lambda n: f"Lichting {n}")
    krijgsmachtdeel = factory.LazyFunction(lambda: branch("KL"))
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=364))
    location = "Ermelo"
    capacity = 20


# The regular route through the chain with the verdict each step needs to be left.
ROUTE = [
    (Step.ORIENTATIEGESPREK, ""),
    (Step.PSYCHOLOGISCH_ONDERZOEK, ""),
    (Step.SPORTTEST, Verdict.GESCHIKT),
    (Step.MEDISCHE_KEURING, Verdict.GESCHIKT),
    (Step.VEILIGHEIDSONDERZOEK, Verdict.GESCHIKT),
    (Step.INITIELE_OPLEIDING, Verdict.GESCHIKT),
    (Step.AANSTELLING, ""),
]


def walk_to(candidate: Candidate, step: Step, *, on: datetime.date | None = None) -> Candidate:
    """Moves a candidate along the regular route until it stands in `step`; every transition takes effect on
    `on` (default: the day the candidate applied). Returns the refreshed candidate."""
    candidate.refresh_from_db()
    steps = [target for target, _verdict in ROUTE]
    ahead = ROUTE[steps.index(candidate.step) + 1 :] if candidate.step in steps else ROUTE
    for target, verdict in ahead:
        if candidate.step == step:
            break
        services.candidate_transition(
            candidate_id=candidate.pk,
            expected_version=candidate.version,
            kind=TransitionKind.DOORZETTEN,
            actor=None,
            occurred_at=on or candidate.applied_on,
            to_step=target,
            verdict=verdict,
        )
        candidate.refresh_from_db()
    assert candidate.step == step
    return candidate


def place_in_new_lichting(candidate: Candidate, *, starts_on: datetime.date, **lichting_fields) -> Candidate:
    """Places the candidate in a new lichting of its own track that starts on `starts_on`."""
    candidate.refresh_from_db()
    lichting = LichtingFactory(instroomspoor=candidate.instroomspoor, start_date=starts_on, **lichting_fields)
    return services.candidate_place_in_lichting(
        candidate_id=candidate.pk, expected_version=candidate.version, lichting_id=lichting.pk, actor=None
    )


def start_training(candidate: Candidate, *, on: datetime.date) -> Candidate:
    """Takes a candidate of a track that starts in lichtingen into the initial training of a lichting that starts
    `on`: the start of a Dienjaar, NWT or Defensity participant."""
    walk_to(candidate, Step.VEILIGHEIDSONDERZOEK)
    place_in_new_lichting(candidate, starts_on=on)
    return walk_to(candidate, Step.INITIELE_OPLEIDING, on=on)


def logged_in(client, user):
    """The test client, signed in as `user`."""
    client.force_login(user)
    return client


def api_token(owner, *scopes: ApiScope, **fields) -> str:
    """Creates a token through the service, as an administrator would, and returns its plain key."""
    fields.setdefault("name", "Testkoppeling")
    _token, key = services.api_token_create(owner=owner, scopes=scopes, created_by=None, **fields)
    return key


def bearer(key: str) -> dict:
    """Test-client keyword arguments that send `key` as a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
