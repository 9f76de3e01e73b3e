"""Fixtures shared by every app's tests: personas, the real Celery worker and the real browser."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection

from intake import reference_data, roles
from intake.choices import ApiScope
from intake.selectors import BEHEERDER_GROUP, MANAGER_GROUP, RECRUITER_GROUP
from intake.tests.factories import UserFactory, api_token, track

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make next to it are
# still synchronous, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS_DIR = Path(os.environ.get("ARTIFACTS_DIR", Path(__file__).parent / "artifacts"))


@pytest.fixture(autouse=True)
def _reference_data(request):
    # Transactional tests (live server, worker, or marked `transaction=True`) flush every table afterwards,
    # including the reference data and the roles the migrations loaded; put them back for them.
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and marker.kwargs.get("transaction", False)
    if marked or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        reference_data.load()
        roles.load()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Lockout and throttle counters live in the shared Redis cache; each test starts without them. Only our
    # prefixed keys go: the same Redis database carries the Celery queue.
    yield
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage of production needs collectstatic; tests serve the source files directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    # Each test gets its own key prefix in the shared Redis, so rate-limit counters and cached values never leak
    # from one test into the next. (Flushing Redis instead would also empty the Celery broker's queues.)
    settings.CACHES = {name: {**config, "KEY_PREFIX": uuid.uuid4().hex} for name, config in settings.CACHES.items()}


def _user_in(group_name, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


@pytest.fixture
def recruiter(db):
    """A recruiter for regular beroepsmilitair applications."""
    user = _user_in(RECRUITER_GROUP, username="recruiter")
    track("beroeps").recruiters.add(user)
    return user


@pytest.fixture
def other_track_recruiter(db):
    """A recruiter who works on the NWT track only."""
    user = _user_in(RECRUITER_GROUP, username="nwt-recruiter")
    track("nwt").recruiters.add(user)
    return user


@pytest.fixture
def dienjaar_recruiter(db):
    """A recruiter who works on the Dienjaar track."""
    user = _user_in(RECRUITER_GROUP, username="dienjaar-recruiter")
    track("dienjaar").recruiters.add(user)
    return user


@pytest.fixture
def manager(db):
    return _user_in(MANAGER_GROUP, username="manager")


@pytest.fixture
def beheerder(db):
    return _user_in(BEHEERDER_GROUP, username="beheerder", is_staff=True)


@pytest.fixture
def reports_token(manager):
    """The plain key of a BI system's token that may read aggregate reports only."""
    return api_token(manager, ApiScope.REPORTS_READ, name="BI-rapportages")


def _worker_env():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # Short retries so that a task that keeps failing reaches the dead-letter table within a test.
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "INSTROOM_TASK_MAX_RETRIES": "2",
        "INSTROOM_TASK_RETRY_BACKOFF_MAX": "1",
    }


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker process consuming from the test run's Redis and writing to the test database.
    Tests that use it need `transactional_db`, so that the worker sees their committed rows."""
    if not django_settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.fail("The worker tests need REDIS_URL and PostgreSQL: run them through scripts/test.sh.")
    with django_db_blocker.unblock():
        env = _worker_env()
    log = open(ARTIFACTS_DIR / "celery-worker.log", "w")  # noqa: SIM115 - kept open for the worker's lifetime
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "defensie",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from defensie.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start; see {log.name}")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


class RedisServer:
    """The test run's Redis (started by scripts/test.sh), stopped and started again by fault-tolerance tests."""

    def __init__(self):
        self.port = os.environ["REDIS_SERVER_PORT"]
        self.directory = os.environ["REDIS_SERVER_DIR"]

    def stop(self):
        subprocess.run(["redis-cli", "-p", self.port, "shutdown", "nosave"], capture_output=True, check=False)

    def is_running(self):
        ping = subprocess.run(["redis-cli", "-p", self.port, "ping"], capture_output=True, text=True, check=False)
        return ping.stdout.strip() == "PONG"

    def start(self):
        if self.is_running():
            return
        subprocess.run(
            ["bash", "-c", f"source scripts/lib.sh && run_redis {self.port} {self.directory}"],
            cwd=Path(__file__).parent,
            check=True,
        )


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.start()  # whatever the test did, later tests get a running Redis


def wait_until(predicate, *, timeout=20.0, interval=0.1):
    """Polls `predicate` until it returns something truthy; used to wait for the worker's effects."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Condition not met within {timeout} s")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download: executable_path points at the system one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, user, password=None):
    """Signs `user` in through the login form, as a person would."""
    from intake.tests.factories import PASSWORD

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password or PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def screenshot(page, name):
    """Saves a full-page screenshot under ARTIFACTS_DIR/screenshots for a person to look at."""
    target = ARTIFACTS_DIR / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target
