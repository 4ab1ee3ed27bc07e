"""Log-in lockout, password rules and security headers."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse

from core.client_ip import axes_ipware_settings

pytestmark = pytest.mark.django_db

LOCKED = (
    "This account is locked for 15 minutes after repeated wrong passwords. Try again later, "
    "or ask the Foreign Affairs Office to unlock it."
)


def attempt(client, username, password, language="en"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR="10.0.0.5",
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client, fao_user, password
):
    for _ in range(4):
        assert attempt(client, "fao", "wrong").status_code == 200
    locked = attempt(client, "fao", "wrong")
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    again = attempt(client, "fao", password)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_thai(client, fao_user):
    for _ in range(5):
        response = attempt(client, "fao", "wrong", language="th")
    assert response.status_code == 429
    assert "บัญชีนี้ถูกระงับ 15 นาที" in response.content.decode()


def test_a_success_resets_the_failure_count(client, fao_user, password):
    for _ in range(4):
        attempt(client, "fao", "wrong")
    assert attempt(client, "fao", password).status_code == 302
    assert not AccessAttempt.objects.filter(username="fao").exists()


def test_another_address_is_not_locked_out(client, fao_user, password):
    for _ in range(5):
        attempt(client, "fao", "wrong")
    response = client.post(
        reverse("login"), {"username": "fao", "password": password}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_content_security_policy_forbids_inline_script(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(
        (*part.strip().split(" ", 1), "")[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_pages_have_no_inline_script(client_for, fao_user):
    import re

    for url in (reverse("login"), reverse("home"), reverse("core:system-status")):
        html = client_for(fao_user).get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {url}: {tag}"


def test_clickjacking_and_cookie_flags(client, settings):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert settings.SESSION_COOKIE_HTTPONLY is True


PROXY = "172.18.0.5"  # the reverse proxy: every request reaches the portal from it


def attempt_through_proxy(client, username, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@override_settings(**axes_ipware_settings(1))
def test_behind_a_proxy_failed_logins_lock_that_client_not_everyone(client, fao_user, password):
    # The proxy appends the address it saw to what the client sent (nginx's
    # $proxy_add_x_forwarded_for), so the right-most entry is the one to trust.
    for _ in range(5):
        attempt_through_proxy(client, "fao", "wrong", "203.0.113.7")
    assert attempt_through_proxy(client, "fao", password, "203.0.113.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # A colleague at another address, through the same proxy, still signs in.
    colleague = attempt_through_proxy(Client(), "fao", password, "198.51.100.9")
    assert colleague.status_code == 302


@override_settings(**axes_ipware_settings(1))
def test_a_client_cannot_dodge_the_lockout_with_a_forged_forwarded_address(client, fao_user):
    for n in range(5):
        # What the client forged comes first; the proxy appends the real address.
        attempt_through_proxy(client, "fao", "wrong", f"10.9.9.{n}, 203.0.113.7")
    assert (
        attempt_through_proxy(client, "fao", "wrong", "10.9.9.99, 203.0.113.7").status_code == 429
    )


def test_without_a_proxy_a_forwarded_header_is_ignored(client, fao_user):
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": "fao", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


@override_settings(**axes_ipware_settings(2))
def test_behind_two_proxies_the_address_the_outer_one_saw_counts(client, fao_user):
    for n in range(5):
        attempt_through_proxy(client, "fao", "wrong", f"10.9.9.{n}, 203.0.113.7, 172.18.0.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_the_settings_follow_axes_proxy_count():
    from django.conf import settings

    assert settings.PROXY_COUNT == 0  # the test environment sets none
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["REMOTE_ADDR"]


@pytest.mark.parametrize(
    "name",
    ["home", "admin:index", "vendors:export-registry", "core:audit", "password_change"],
)
def test_authenticated_pages_and_downloads_are_not_stored(client_for, fao_user, name):
    response = client_for(fao_user).get(reverse(name))
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_report_download_is_not_stored(client_for, fao_user):
    from django.core.files.base import ContentFile

    from reports.models import ReportGeneration
    from tests.factories import SessionFactory

    session = SessionFactory()
    generation = ReportGeneration.objects.create(
        kind=ReportGeneration.Kind.SESSION,
        programme_year=session.year,
        session=session,
        version=1,
        language=ReportGeneration.Language.THAI,
        status=ReportGeneration.Status.DONE,
        progress=100,
        sha256="0" * 64,
        size_bytes=10,
        page_count=1,
        render_seconds=0.1,
        requested_by=fao_user,
    )
    generation.file.save("hardening.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    response = client_for(fao_user).get(reverse("reports:download", args=[generation.pk]))
    b"".join(response.streaming_content)
    generation.file.delete()
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_every_page_denies_powerful_browser_features(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_username_longer_than_the_lockout_log_keeps_is_a_failed_sign_in(client):
    """django-axes logs the username in 255 characters; PostgreSQL refused more (a 500)."""
    response = attempt(client, "x" * 100_000, "wrong")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150
