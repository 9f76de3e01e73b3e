import pytest

from intake.choices import ApiScope
from intake.tests.factories import api_token

ALL_SCOPES = tuple(ApiScope)


@pytest.fixture
def read_token(manager):
    """A planning system that reads every candidate."""
    return api_token(manager, ApiScope.CANDIDATES_READ, name="Planning")


@pytest.fixture
def write_token(manager):
    """An HR system that reads and writes every candidate."""
    return api_token(manager, ApiScope.CANDIDATES_READ, ApiScope.CANDIDATES_WRITE, name="HR-administratie")


@pytest.fixture
def recruiter_token(recruiter):
    """A token of the beroeps recruiter: it sees and writes only that track's candidates."""
    return api_token(recruiter, *ALL_SCOPES, name="Koppeling recruiter")
