"""core.auth_backends.PortalBackend: the signed-in user and their roles in one query (#19)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core.auth_backends import PortalBackend
from core.roles import GROUP_NAMES, Role, roles_of

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_every_role_of_their_groups_in_one_query(
    make_user, django_assert_num_queries
):
    user = make_user(Role.SDO)
    user.groups.add(
        Group.objects.get(name=GROUP_NAMES[Role.SEO]), Group.objects.create(name="Book club")
    )
    with django_assert_num_queries(1):
        loaded = PortalBackend().get_user(user.pk)
        roles = roles_of(loaded)
    assert loaded == user
    assert (loaded.username, loaded.email, loaded.password) == (
        user.username,
        user.email,
        user.password,
    )
    assert roles == {Role.SDO, Role.SEO}


def test_the_user_s_values_are_the_orm_s(make_user, client_for):
    """Each column as the ORM converts it for this database (SQLite hands a boolean as 0
    or 1 and a date and time without its zone), so that a save keeps them as they were."""
    user = make_user(Role.FAO, first_name="สมชาย")
    client_for(user).get(reverse("home"))  # sets last_login
    expected = type(user).objects.get(pk=user.pk)
    loaded = PortalBackend().get_user(user.pk)
    for field in type(user)._meta.concrete_fields:
        mine, theirs = getattr(loaded, field.attname), getattr(expected, field.attname)
        assert (field.name, mine, type(mine)) == (field.name, theirs, type(theirs))
    assert timezone.is_aware(loaded.date_joined) and loaded.is_active is True
    loaded.save()
    assert type(user).objects.get(pk=user.pk).date_joined == expected.date_joined


@pytest.mark.parametrize(
    ("role", "superuser", "expected"),
    [(None, False, set()), (Role.EXECUTIVE, False, {Role.EXECUTIVE}), (None, True, set(Role))],
)
def test_roles_are_those_roles_of_would_read(
    make_user, django_assert_num_queries, role, superuser, expected
):
    user = make_user(role, is_superuser=superuser)
    with django_assert_num_queries(1):
        assert roles_of(PortalBackend().get_user(user.pk)) == expected
    assert roles_of(type(user).objects.get(pk=user.pk)) == expected


def test_an_inactive_or_missing_user_is_not_signed_in(make_user):
    user = make_user(Role.FAO, is_active=False)
    assert PortalBackend().get_user(user.pk) is None
    assert PortalBackend().get_user(user.pk + 1000) is None


def test_a_role_taken_away_counts_from_the_next_request(make_user, client_for):
    user = make_user(Role.SDO)
    client = client_for(user)
    assert client.get(reverse("vendors:list")).status_code == 200
    user.groups.clear()
    assert client.get(reverse("vendors:list")).status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(make_user, client_for):
    user = make_user(Role.SDO)
    client = client_for(user)
    assert client.get(reverse("vendors:list")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("vendors:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
