import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username, password, address, **extra):
    return client.post("/inloggen/", {"username": username, "password": password, **extra}, REMOTE_ADDR=address)


def test_repeated_failures_lock_out_that_username_from_that_address_only(settings, recruiter, manager):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client(), recruiter.username, "fout", "10.0.0.1").status_code == 200
    assert sign_in(Client(), recruiter.username, "fout", "10.0.0.1").status_code == 429

    locked = sign_in(Client(), recruiter.username, PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.content.decode()
    # A colleague behind the same gateway, and the same person from elsewhere, can still sign in.
    assert sign_in(Client(), manager.username, PASSWORD, "10.0.0.1").status_code == 302
    assert sign_in(Client(), recruiter.username, PASSWORD, "10.0.0.2").status_code == 302


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client, recruiter):
    response = client.get("/inloggen/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_pages_require_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_a_manager_with_two_factor_needs_the_code_to_sign_in(manager):
    device = TOTPDevice.objects.create(user=manager, name="telefoon", confirmed=True)

    without_code = sign_in(Client(), manager.username, PASSWORD, "10.0.0.5")
    assert without_code.status_code == 200
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    with_code = sign_in(Client(), manager.username, PASSWORD, "10.0.0.5", otp_token=f"{code:06d}")
    assert with_code.status_code == 302, with_code.context["form"].errors


def test_a_manager_can_switch_two_factor_on_from_the_account_page(client, manager):
    client.force_login(manager)
    page = client.get("/account/tweestapsverificatie/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=manager)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)

    client.post("/account/tweestapsverificatie/", {"token": f"{code:06d}"})
    assert TOTPDevice.objects.get(user=manager).confirmed


def test_a_wrong_confirmation_code_leaves_two_factor_off(client, manager):
    client.force_login(manager)
    client.get("/account/tweestapsverificatie/")
    response = client.post("/account/tweestapsverificatie/", {"token": "000000"})
    assert "klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.get(user=manager).confirmed


def test_recruiters_have_no_two_factor_page(client, recruiter):
    client.force_login(recruiter)
    assert client.get("/account/tweestapsverificatie/").status_code == 403


def test_the_production_settings_pass_the_deploy_check():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "k" * 20 + "productie-geheim-met-voldoende-variatie-0123456789",
        "DJANGO_ALLOWED_HOSTS": "instroom.mindef.example",
        "DJANGO_TRUST_X_FORWARDED_PROTO": "true",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
