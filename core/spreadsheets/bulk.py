"""Bulk writes for imports, with a django-simple-history row for every record written.

On PostgreSQL rows go in with COPY, which is several times faster than multi-row
INSERTs: ids are taken from the table's sequence first so that the history rows (and
child rows) can point at them. Elsewhere (SQLite on a laptop) Django's bulk_create and
bulk_update are used. Either way the caller runs inside a transaction, values have been
validated by the import's schema and the database constraints still apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

BATCH = 5000


def _history_model(model: type[models.Model]):
    return model.history.model


def _stamp(
    model: type[models.Model], objs: Sequence[models.Model], now: dt.datetime, *, creating: bool
) -> list[str]:
    """Set auto_now / auto_now_add fields as save() would; returns the attnames set."""
    stamped = []
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or (
            creating and getattr(field, "auto_now_add", False)
        ):
            stamped.append(field.attname)
    for obj in objs:
        for attname in stamped:
            setattr(obj, attname, now)
    return stamped


def _prep(field: models.Field, value):
    return field.get_db_prep_save(value, connection)


def _copy(table: str, columns: Sequence[str], rows) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_history(
    model: type[models.Model],
    objs: Sequence[models.Model],
    history_type: str,
    acting_user: AbstractBaseUser | None,
    now: dt.datetime,
) -> None:
    history = _history_model(model)
    user_id = acting_user.pk if acting_user is not None else None
    special = {
        "history_date": lambda obj: now,
        "history_change_reason": lambda obj: None,
        "history_type": lambda obj: history_type,
        "history_user_id": lambda obj: user_id,
    }
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    getters = []
    for field in fields:
        if field.attname in special:
            getters.append((None, special[field.attname]))
        else:
            getters.append((field, field.attname))

    def rows():
        for obj in objs:
            yield [
                getter(obj) if f is None else _prep(f, getattr(obj, getter))
                for f, getter in getters
            ]

    _copy(history._meta.db_table, [f.column for f in fields], rows())


def create(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    acting_user: AbstractBaseUser | None,
    now: dt.datetime,
) -> None:
    """Insert new objects (their pk is set) and a "+" history row for each."""
    if not objs:
        return
    _stamp(model, objs, now, creating=True)
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            list(objs), model, batch_size=500, default_user=acting_user, default_date=now
        )
        return
    meta = model._meta
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = list(meta.concrete_fields)
    _copy(
        meta.db_table,
        [f.column for f in fields],
        ([_prep(f, getattr(obj, f.attname)) for f in fields] for obj in objs),
    )
    _copy_history(model, objs, "+", acting_user, now)


def update(
    model: type[models.Model],
    objs: Sequence[models.Model],
    attnames: Sequence[str],
    *,
    acting_user: AbstractBaseUser | None,
    now: dt.datetime,
) -> None:
    """Write `attnames` of existing objects (plus auto_now fields), and a "~" history row."""
    if not objs:
        return
    stamped = _stamp(model, objs, now, creating=False)
    names = list(dict.fromkeys([*attnames, *stamped]))
    if connection.vendor != "postgresql":
        by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
        bulk_update_with_history(
            list(objs),
            model,
            [by_attname[a] for a in names],
            batch_size=500,
            default_user=acting_user,
            default_date=now,
        )
        return
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.pk, *[f for f in meta.concrete_fields if f.attname in names]]
    temp = f"_bulk_{meta.db_table}"[:60]
    column_list = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {quote(temp)} ON COMMIT DROP AS "  # noqa: S608 - names from model meta, quoted
            f"SELECT {column_list} FROM {quote(meta.db_table)} WITH NO DATA"
        )
    _copy(
        temp,
        [f.column for f in fields],
        ([_prep(f, getattr(obj, f.attname)) for f in fields] for obj in objs),
    )
    assignments = ", ".join(f"{quote(f.column)} = u.{quote(f.column)}" for f in fields[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM {quote(temp)} AS u "  # noqa: S608 - names from model meta, quoted
            f"WHERE t.{quote(meta.pk.column)} = u.{quote(meta.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temp)}")
    _copy_history(model, objs, "~", acting_user, now)
