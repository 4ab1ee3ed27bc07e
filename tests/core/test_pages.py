import pytest
from django.urls import reverse

from core.models import WorkerPing

pytestmark = pytest.mark.django_db


def test_login_page_in_thai_by_default(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="th")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="th">' in text
    assert "เข้าสู่ระบบ BB Portal" in text


def test_login_page_in_english(client):
    text = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in to BB Portal" in text


def test_wrong_password_gets_a_clear_message(client, fao_user):
    response = client.post(
        reverse("login"), {"username": "fao", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert (
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    ) in response.content.decode()


def test_login_then_home(client, fao_user, password):
    response = client.post(reverse("login"), {"username": "fao", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_language_switch_remembers_the_choice(client_for, fao_user):
    client = client_for(fao_user, language="en")
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "ยินดีต้อนรับ" in client.get(reverse("home")).content.decode()


def test_home_shows_the_current_fiscal_year_in_be(client_for, fao_user):
    text = client_for(fao_user, language="th").get(reverse("home")).content.decode()
    assert "ปีงบประมาณ พ.ศ. 25" in text


def test_password_change_enforces_strong_passwords(client_for, fao_user, password):
    response = client_for(fao_user).post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    text = response.content.decode()
    assert "This password is too short. It must contain at least 10 characters." in text
    assert "This password is entirely numeric." in text


def test_system_status_ping_records_an_answer_in_process(
    client_for, fao_user, django_capture_on_commit_callbacks
):
    # Without a broker the embedded default runs the task in-process, after commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(fao_user).post(reverse("core:system-status"))
    assert response.status_code == 302
    ping = WorkerPing.objects.get()
    assert ping.requested_by == fao_user
    assert ping.answered_at is not None


def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"
