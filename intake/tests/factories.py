import datetime

import factory
from django.contrib.auth import get_user_model

from intake import services
from intake.choices import ApiScope, Gender, Source
from intake.models import Instroomspoor, Krijgsmachtdeel, Reason

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


def api_token(owner, *scopes: ApiScope, **fields) -> str:
    """Creates a token through the service, as an administrator would, and returns its plain key."""
    fields.setdefault("name", "Testkoppeling")
    _token, key = services.api_token_create(owner=owner, scopes=scopes, created_by=None, **fields)
    return key


def bearer(key: str) -> dict:
    """Test-client keyword arguments that send `key` as a bearer token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
