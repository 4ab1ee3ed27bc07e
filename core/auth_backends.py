from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, User
from django.db import connection
from django.http import HttpRequest

from .roles import remember_roles


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """django-axes' lockout check for logins over the web.

    A login without a request (the shell, a management command, the test client's
    `login()`) has no address to lock, so it passes through to ModelBackend.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        user: AbstractBaseUser | None = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        return user


class PortalBackend(ModelBackend):
    """Django's ModelBackend, reading a signed-in user and the names of their groups (their
    roles, core.roles) in one query on every request, where Django reads the user and
    then the roles' first check reads the groups.

    Each of those ORM reads cost more in Python than in the database (a queryset built and
    compiled each time, #19); the SQL here is written once per database vendor. What
    ModelBackend checks is unchanged: an inactive user is refused (user_can_authenticate)."""

    def get_user(self, user_id: Any) -> User | None:
        with connection.cursor() as cursor:
            cursor.execute(_user_with_groups_sql(connection.vendor), [user_id])
            rows = cursor.fetchall()
        if not rows:
            return None
        user = User.from_db(connection.alias, _USER_ATTNAMES, _converted(rows[0][:-1]))
        remember_roles(user, (row[-1] for row in rows if row[-1] is not None))
        return user if self.user_can_authenticate(user) else None


_USER_ATTNAMES = [field.attname for field in User._meta.concrete_fields]


def _converted(values: Sequence[Any]) -> list[Any]:
    """The row's values as the ORM converts them for this database (SQLCompiler's
    converters: the backend's, then the field's). SQLite hands a boolean as 0 or 1 and a
    date and time without its zone; a user saved with those would move its dates."""
    converted = []
    for field, value in zip(User._meta.concrete_fields, values, strict=True):
        column = field.get_col(User._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        converted.append(value)
    return converted


@functools.cache
def _user_with_groups_sql(vendor: str) -> str:
    del vendor  # the cache's key: quoting differs between databases
    qn = connection.ops.quote_name
    link = User.groups.through._meta
    columns = ", ".join(f"u.{qn(field.column)}" for field in User._meta.concrete_fields)
    user_id = f"u.{qn(User._meta.pk.column)}"
    links = f"{qn(link.db_table)} ug ON ug.{qn(link.get_field('user').column)} = {user_id}"
    groups = (
        f"{qn(Group._meta.db_table)} g"
        f" ON g.{qn(Group._meta.pk.column)} = ug.{qn(link.get_field('group').column)}"
    )
    # Names from the models' metadata, quoted; the one value is a parameter.
    sql = f"SELECT {columns}, g.{qn('name')} FROM {qn(User._meta.db_table)} u LEFT JOIN {links} LEFT JOIN {groups} WHERE {user_id} = %s"  # noqa: E501, S608
    return sql
