"""Sign in with Microsoft against a fake Entra ID over real HTTPS (msal's own code path)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import ExternalIdentity
from core.roles import Role, roles_of

from ..fakes.entra import FakeUser

pytestmark = pytest.mark.django_db

FAO_GROUP = "a1a1a1a1-0000-0000-0000-00000000f0a0"
EXEC_GROUP = "e2e2e2e2-0000-0000-0000-0000000e8ec0"
EXPIRED = "This sign-in link has expired. Start again."


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def entra(fake_entra, settings):
    settings.ENTRA_GROUP_ROLES = f"{FAO_GROUP}:fao, {EXEC_GROUP}:executive"
    return fake_entra


def start(client):
    response = client.get(reverse("entra-begin"))
    assert response.status_code == 302
    return response["Location"]


def authorize(entra, auth_uri: str) -> str:
    """What the user's browser does at Microsoft: follow the sign-in page's redirect."""
    answer = requests.get(auth_uri, allow_redirects=False, verify=entra.ca_path, timeout=10)
    assert answer.status_code == 302
    return answer.headers["Location"]


def finish(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert parts.path == reverse("entra-callback")
    return client.get(parts.path + "?" + parts.query, HTTP_ACCEPT_LANGUAGE="en")


def test_off_unless_configured(client, settings):
    settings.ENTRA_CLIENT_ID = ""
    assert "Sign in with Microsoft" not in client.get(reverse("login")).content.decode()
    response = client.get(reverse("entra-begin"))
    assert response.status_code == 404
    assert "Microsoft sign-in is not configured for this portal." in response.content.decode()


def test_sign_in_creates_the_user_with_the_mapped_role(client, entra):
    assert "Sign in with Microsoft" in client.get(reverse("login")).content.decode()
    entra.next_user = FakeUser(groups=(FAO_GROUP, "unrelated-group"))
    auth_uri = start(client)
    query = parse_qs(urlsplit(auth_uri).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]

    response = finish(client, authorize(entra, auth_uri))

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = get_user_model().objects.get(username="somchai.j@bangkok.go.th")
    assert roles_of(user) == {Role.FAO}
    assert user.is_staff and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Somchai", "Jaidee")
    assert ExternalIdentity.objects.get(user=user).subject == entra.next_user.oid
    assert int(client.session["_auth_user_id"]) == user.pk
    assert entra.token_requests[0]["code_verifier"]


def test_roles_follow_the_groups_at_every_sign_in(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    finish(client, authorize(entra, start(client)))
    entra.next_user.groups = (EXEC_GROUP,)
    client.logout()
    finish(client, authorize(entra, start(client)))
    user = get_user_model().objects.get(username="somchai.j@bangkok.go.th")
    assert roles_of(user) == {Role.EXECUTIVE}
    assert not user.is_staff
    assert get_user_model().objects.count() == 1


def test_a_user_with_no_mapped_group_gets_no_access(client, entra):
    entra.next_user = FakeUser(groups=("unrelated-group",))
    response = finish(client, authorize(entra, start(client)))
    assert response.status_code == 403
    assert (
        "You signed in, but none of your groups gives access to this portal. Ask the "
        "Foreign Affairs Office to add you to the group of your office."
    ) in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.exists()


def test_no_access_page_in_thai(client, entra):
    entra.next_user = FakeUser(groups=())
    callback = authorize(entra, start(client))
    parts = urlsplit(callback)
    response = client.get(parts.path + "?" + parts.query, HTTP_ACCEPT_LANGUAGE="th")
    assert "บัญชี Microsoft ของคุณยังไม่มีบทบาทใน BB Portal" in response.content.decode()


def test_the_sign_in_errors_in_thai(client, entra, settings):
    response = client.get(reverse("entra-callback"), HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 400
    assert "ลิงก์ลงชื่อเข้าใช้นี้หมดอายุแล้ว โปรดเริ่มใหม่" in response.content.decode()

    settings.ENTRA_CLIENT_ID = ""
    response = client.get(reverse("entra-begin"), HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 404
    assert "พอร์ทัลนี้ยังไม่ได้ตั้งค่าการลงชื่อเข้าใช้ด้วย Microsoft" in response.content.decode()


def test_a_tampered_state_is_refused(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    callback = authorize(entra, start(client)).replace("state=", "state=x")
    response = finish(client, callback)
    assert response.status_code == 400 and EXPIRED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_replayed_callback_is_refused(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    callback = authorize(entra, start(client))
    assert finish(client, callback).status_code == 302
    client.logout()
    response = finish(client, callback)
    assert response.status_code == 400 and EXPIRED in response.content.decode()


def test_a_token_with_another_nonce_is_refused(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    entra.token_nonce_override = "0" * 64
    response = finish(client, authorize(entra, start(client)))
    assert response.status_code == 400 and EXPIRED in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_forged_signature_is_refused(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    entra.sign_with_other_key = True
    response = finish(client, authorize(entra, start(client)))
    assert response.status_code == 400
    assert (
        "Microsoft&#x27;s answer could not be verified. Start again." in response.content.decode()
    )
    assert not get_user_model().objects.exists()


def test_a_token_from_another_tenant_is_refused(client, entra):
    entra.next_user = FakeUser(groups=(FAO_GROUP,))
    entra.token_tenant_override = "11111111-2222-3333-4444-555555555555"
    response = finish(client, authorize(entra, start(client)))
    assert response.status_code == 400
    assert not get_user_model().objects.exists()


def test_a_refused_consent_is_explained(client, entra):
    entra.refuse_next = True
    response = finish(client, authorize(entra, start(client)))
    assert response.status_code == 400
    assert (
        "Microsoft refused the sign-in. Try again or use a portal account."
        in response.content.decode()
    )
