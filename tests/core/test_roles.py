import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.role_permissions import sync_role_groups
from core.roles import GROUP_NAMES, Role

pytestmark = pytest.mark.django_db


def perms(role: Role) -> set[str]:
    group = Group.objects.get(name=GROUP_NAMES[role])
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_migration_creates_the_four_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())


def test_fao_runs_the_programme():
    fao = perms(Role.FAO)
    assert {"vendors.add_vendor", "cities.delete_sistercity", "meetings.change_session"} <= fao
    assert "vendors.delete_district" not in fao  # reference data is corrected, not deleted


def test_sdo_keeps_vendors_and_shortlists_but_only_reads_cities():
    sdo = perms(Role.SDO)
    assert {"vendors.add_vendor", "vendors.change_product", "meetings.add_shortlistentry"} <= sdo
    assert "vendors.delete_vendor" not in sdo
    assert "cities.view_sistercity" in sdo and "cities.change_sistercity" not in sdo
    assert "meetings.change_session" not in sdo


def test_seo_runs_sessions_but_not_the_registry():
    seo = perms(Role.SEO)
    assert "meetings.change_session" in seo
    assert "vendors.change_vendor" not in seo and "vendors.view_vendor" in seo


def test_executives_only_read():
    executive = perms(Role.EXECUTIVE)
    assert executive, "executives must be able to read something"
    assert all(codename.split(".")[1].startswith("view_") for codename in executive)


def test_sync_restores_a_removed_permission():
    group = Group.objects.get(name=GROUP_NAMES[Role.SDO])
    permission = Permission.objects.get(codename="add_vendor")
    group.permissions.remove(permission)
    sync_role_groups()
    assert group.permissions.filter(pk=permission.pk).exists()


HOME_SENTENCES = {
    Role.FAO: "You run the programme",
    Role.SDO: "You keep the Bangkok Brand vendor registry",
    Role.SEO: "You run the Teams meetings",
    Role.EXECUTIVE: "Follow the programme's KPI",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_home_page(role, make_user, client_for):
    response = client_for(make_user(role)).get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert HOME_SENTENCES[role] in text
    for other, sentence in HOME_SENTENCES.items():
        if other != role:
            assert sentence not in text


@pytest.mark.parametrize(
    ("role", "admin_link_shown", "system_link_shown"),
    [
        (Role.FAO, True, True),
        (Role.SDO, True, False),
        (Role.SEO, True, False),
        (Role.EXECUTIVE, False, False),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(
    role, admin_link_shown, system_link_shown, make_user, client_for
):
    text = client_for(make_user(role)).get(reverse("home")).content.decode()
    assert ('data-nav="admin"' in text) is admin_link_shown
    assert ('data-nav="system"' in text) is system_link_shown
    assert ('data-nav="audit"' in text) is system_link_shown


def test_anonymous_home_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_a_role_is_refused(make_user, client_for):
    response = client_for(make_user(None)).get(reverse("home"))
    assert response.status_code == 403
    assert "Your role does not include this part of the portal." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.FAO, 200), (Role.SDO, 403), (Role.SEO, 403), (Role.EXECUTIVE, 403)],
)
def test_system_status_is_for_fao_only(role, status, make_user, client_for):
    assert client_for(make_user(role)).get(reverse("core:system-status")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.FAO, 200), (Role.SDO, 200), (Role.SEO, 200), (Role.EXECUTIVE, 302)],
)
def test_admin_is_for_staff_roles(role, status, make_user, client_for):
    # Executives are not staff: the admin sends them to its login page.
    assert client_for(make_user(role)).get(reverse("admin:index")).status_code == status


def test_admin_header_is_translated(fao_user, client_for):
    assert (
        "BB Portal – Bangkok Brand × Sister Cities"
        in client_for(fao_user).get(reverse("admin:index")).content.decode()
    )
    thai = client_for(fao_user, language="th").get(reverse("admin:index")).content.decode()
    assert "บีบี พอร์ทัล – Bangkok Brand × เมืองพี่เมืองน้อง" in thai
