"""Bulk writes for imports, with a django-simple-history row for every record written.

On PostgreSQL rows go in with COPY, which is several times faster than multi-row
INSERTs: ids are taken from the table's sequence first so that the history rows (and
child rows) can point at them. Elsewhere (SQLite on a laptop) Django's bulk_create and
bulk_update are used. An update's history rows are copied from the table on every
database: the updated instances carry only the columns the import writes, so history
made from them would lack the others (created_at, say). Either way the caller runs inside
a transaction, values have been validated by the import's schema and the database
constraints still apply.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from simple_history.utils import bulk_create_with_history

BATCH = 5000


def _history_model(model: type[models.Model]) -> type[models.Model]:
    history: type[models.Model] = getattr(model, "history").model  # noqa: B009  # simple_history, at runtime
    return history


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


# Fields whose Python value psycopg adapts as it is: calling get_db_prep_save on each of
# hundreds of thousands of cells would cost more than the COPY itself.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.DecimalField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _row_of(fields: Sequence[models.Field[Any, Any]]) -> Callable[[Any], Sequence[Any]]:
    """A function from an instance to its row for COPY, in the order of `fields`.

    Plain fields are read by one attrgetter for the whole row (C, one call an instance:
    a lambda a cell was 2.4 % of a 20,000-row import); the others are prepared by their
    field as Django would save them."""
    db = connections[DEFAULT_DB_ALIAS]
    plain = [isinstance(f, _PLAIN) and not isinstance(f, models.FileField) for f in fields]
    read: Callable[[Any], Sequence[Any]]
    if len(fields) == 1:  # attrgetter of one name gives the value, not a tuple
        attname = fields[0].attname
        read = lambda obj: (getattr(obj, attname),)  # noqa: E731
    else:
        read = operator.attrgetter(*(f.attname for f in fields))
    if all(plain):
        return read
    prepared = [
        (i, f) for i, (f, is_plain) in enumerate(zip(fields, plain, strict=True)) if not is_plain
    ]

    def row(obj: Any) -> Sequence[Any]:
        values = list(read(obj))
        for i, field in prepared:
            values[i] = field.get_db_prep_save(values[i], db)
        return values

    return row


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # psycopg's own errors inside COPY (a unique index, a value out of range) become
    # Django's, as they do in execute(): the import reports an IntegrityError or a
    # DataError to the user as the database's refusal, where psycopg's were a crash.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


_HISTORY_BATCH = 500


def _history_from_table(
    model: type[models.Model],
    ids: Sequence[int],
    history_type: str,
    acting_user: AbstractBaseUser | None,
    now: dt.datetime,
) -> None:
    """One history row per written record, copied by the server from the table itself:
    the values are exactly what was stored and none travel through Python again."""
    history = _history_model(model)
    quote = connection.ops.quote_name
    meta = model._meta
    special = {
        "history_date": now,
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": acting_user.pk if acting_user is not None else None,
    }
    targets, sources, params = [], [], []
    for field in history._meta.concrete_fields:
        if field.attname == "history_id":
            continue
        targets.append(quote(field.column))
        if field.attname in special:
            sources.append("%s")
            params.append(field.get_db_prep_save(special[field.attname], connection))
        else:
            # The history table copies the live table's concrete fields, name for name.
            source = cast("models.Field[Any, Any]", meta.get_field(field.name))
            sources.append(f"t.{quote(source.column)}")
    ids = list(ids)
    insert = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(targets)}) "  # noqa: S608 - names from model meta, quoted
        f"SELECT {', '.join(sources)} FROM {quote(meta.db_table)} AS t "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: a list of 20,000 placeholders costs more to build and
            # parse (client and server) than the insert itself.
            cursor.execute(f"{insert}WHERE t.{quote(meta.pk.column)} = ANY(%s)", [*params, ids])
            return
        # Plain IN lists in batches elsewhere, within SQLite's limit on parameters.
        for start in range(0, len(ids), _HISTORY_BATCH):
            chunk = ids[start : start + _HISTORY_BATCH]
            cursor.execute(
                f"{insert}WHERE t.{quote(meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [*params, *chunk],
            )


def instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """A new, unsaved instance with the fields' defaults and `values` (attnames).

    Model.__init__ costs about 12 µs, which a 20,000-row import pays 20,000 times; this
    sets the same attributes directly. Models with init signals get the real __init__.
    """
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            defaults = _DEFAULTS[model] = False
        else:
            fields = model._meta.concrete_fields
            if any(callable(f.default) and f.default is not models.NOT_PROVIDED for f in fields):
                defaults = _DEFAULTS[model] = False
            else:
                defaults = _DEFAULTS[model] = {f.attname: f.get_default() for f in fields}
    if not isinstance(defaults, dict):  # False: the model needs its real __init__
        return model(**values)
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    return obj


_DEFAULTS: dict[type[models.Model], dict[str, Any] | bool] = {}


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY plain rows (a many-to-many table, say) on PostgreSQL."""
    _copy(table, columns, rows)


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
        # The sequence is named first: pg_get_serial_sequence() inside the select list
        # runs (catalog lookups and all) once per row, 130 ms for 20,000 ids against
        # 13 ms for nextval() of a constant.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(objs)]
        )
        ids = [row[0] for row in cursor.fetchall()]
    alias = connection.alias
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)
        obj._state.adding = False
        obj._state.db = alias
    fields = list(meta.concrete_fields)
    row_of = _row_of(fields)
    _copy(meta.db_table, [f.column for f in fields], map(row_of, objs))
    _history_from_table(model, ids, "+", acting_user, now)


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
        model._default_manager.bulk_update(
            list(objs), [by_attname[a] for a in names], batch_size=500
        )
        _history_from_table(model, [obj.pk for obj in objs], "~", acting_user, now)
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
    _copy(temp, [f.column for f in fields], map(_row_of(fields), objs))
    assignments = ", ".join(f"{quote(f.column)} = u.{quote(f.column)}" for f in fields[1:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM {quote(temp)} AS u "  # noqa: S608 - names from model meta, quoted
            f"WHERE t.{quote(meta.pk.column)} = u.{quote(meta.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {quote(temp)}")
    _history_from_table(model, [obj.pk for obj in objs], "~", acting_user, now)


def db_lower(texts: Iterable[str]) -> dict[str, str]:
    """Each text as the database's lower() gives it, in one query.

    A unique index on lower(name) compares names the database's way, which is not
    Python's: PostgreSQL lowers `Σ` to `σ` where str.lower() writes a final `ς`, and
    `İ` to `i` where Python keeps a combining dot; SQLite's lower() only knows ASCII.
    Matching a file's names against stored ones must agree with the index, or the
    preview promises a new record the write cannot insert.
    """
    result: dict[str, str] = {}
    ask: set[str] = set()
    for text in texts:
        if not text or text in result:
            continue
        if text.lower() == text == text.upper():
            result[text] = text  # nothing cased (Thai, digits): no lower() changes it
        else:
            ask.add(text)
    if not ask:
        return result
    distinct = sorted(ask)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT t, lower(t) FROM unnest(%s::text[]) AS t", [distinct])
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT value, lower(value) FROM json_each(%s)", [json.dumps(distinct)])
        else:
            cursor.execute(
                " UNION ALL ".join(["SELECT %s, lower(%s)"] * len(distinct)),
                [v for t in distinct for v in (t, t)],
            )
        result.update(cursor.fetchall())
    return result


def among(values: Iterable[Any], db_type: str) -> Any:
    """The right-hand side of an `__in` filter over thousands of values (`db_type` is
    their PostgreSQL type: "text", "bigint").

    On PostgreSQL the values travel as one array parameter: an IN list of 4,000
    placeholders is slower to build, for psycopg to split and for the server to parse
    than the query is to run, and a subquery repeats it. Elsewhere, the plain list.
    """
    listed = list(values)
    if connection.vendor != "postgresql":
        return listed
    if db_type not in {"text", "bigint", "integer"}:
        raise ValueError(db_type)
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", (listed,))  # noqa: S611 - a fixed type name
