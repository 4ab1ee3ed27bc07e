"""Hot reads whose SQL is built once per input, then only run.

Building a queryset and compiling it to SQL is Python the database never sees, paid on
every request: the year page's sessions (a subquery counting each one's vendors) took
1.9 ms to build and compile against 2.7 ms to run (#19). A read on a page everyone opens,
whose SQL depends only on its arguments, keeps its compiled form here:

    def _sessions_of(year_pk: int) -> QuerySet[Session]:  # a pure function of its arguments
        return Session.objects.filter(year_id=year_pk).annotate(...)

    compiled_instances(_sessions_of, year.pk)   # model instances, as list(queryset) gives
    compiled_rows(_names_of, (1, 2, 3))         # tuples, as list(values_list) gives

The key is the function, its arguments, the connection, the language and the time zone:
`build` must read nothing else (not the user; a read that looks at the clock takes as an
argument the moment its SQL may be as old as: the to-do badge passes the minute). The
SQL and its parameters are the ORM's own, so a migration or a new field changes them at
the next start. Not for
reads whose arguments rarely repeat (a free-text search): each would be built, stored and
never used again; nor for a person's data as an argument (a name, an e-mail address):
the SQL is kept with its values, out of reach of the PDPA's erasure.

What the ORM does with the rows (its converters, select_related's joined objects, the
annotations as attributes) is its own code, from the compiler kept with the SQL; only
the building and compiling are skipped. tests/core/test_compiled.py compares each with the
ORM's result, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str  # "" for a read the ORM knows to be empty without asking (`pk__in=()`)
    params: tuple[Any, ...] | None  # None: bound into `sql` (_bound_sql)


def _bound_sql(
    connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
) -> tuple[str, tuple[Any, ...] | None]:
    """SQL kept to run many times, with its parameters bound in once where the driver binds
    them on the client anyway (psycopg, as Django uses it on PostgreSQL): psycopg parses a
    statement longer than 4 KB and quotes its values again on every execute (the to-do
    badge's: 0.5 ms a page, #19). The values are quoted by psycopg itself, as at execute
    (Django's compose_sql). Elsewhere (SQLite) the parameters stay apart. Run the result
    with `cursor.execute(sql, params)`: None runs the SQL as it is."""
    if connection.vendor == "postgresql" and params:
        return connection.ops.compose_sql(sql, params), None  # type: ignore[attr-defined]
    return sql, tuple(params)


# The compiler is kept for what turns rows into values and objects (the ORM's converters,
# such as SQLite's decimals, and select_related's populators); it belongs to one
# connection, hence the connection in the key. An entry takes about 14 KB (a page of the
# registry, measured with tracemalloc): at most about 7 MB a process.
_COMPILED: dict[tuple[Any, ...], _Compiled] = {}
_COMPILED_MAX = 512


def _compiled(
    build: Callable[..., QuerySet[Any, Any]], args: tuple[Any, ...], using: str
) -> _Compiled:
    connection = connections[using]
    key = (
        build,
        args,
        id(connection),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiler = build(*args).query.get_compiler(connection=connection)
        try:
            sql, params = _bound_sql(connection, *compiler.as_sql())
        except EmptyResultSet:
            sql, params = "", ()
        compiled = _Compiled(compiler, sql, params)
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        # The entry keeps its connection alive, so the connection's id is not reused.
        _COMPILED[key] = compiled
    return compiled


def _fetched(compiled: _Compiled, using: str) -> list[Any]:
    with connections[using].cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows: list[Any] = cursor.fetchall()
    return rows


def compiled_sql(
    build: Callable[..., QuerySet[Any, Any]], *args: Hashable, using: str = DEFAULT_DB_ALIAS
) -> tuple[str, tuple[Any, ...] | None]:
    """The SQL and parameters of `build(*args)`, compiled once ("" if it reads nothing);
    the parameters are None where they are bound in (_bound_sql)."""
    compiled = _compiled(build, args, using)
    return compiled.sql, compiled.params


def compiled_rows(
    build: Callable[..., QuerySet[Any, Any]], *args: Hashable, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[Any, ...]]:
    """`list(build(*args))` for a values_list() read: tuples, each value converted as the
    ORM converts it."""
    compiled = _compiled(build, args, using)
    if not compiled.sql:
        return []
    compiler = compiled.compiler
    width = compiler.col_count
    fetched = _fetched(compiled, using)
    if fetched and len(fetched[0]) != width:  # columns the ORM selects only to order by
        fetched = [row[:width] for row in fetched]
    return [tuple(row) for row in compiler.results_iter(results=[fetched])]


def compiled_instances(
    build: Callable[..., QuerySet[M]], *args: Hashable, using: str = DEFAULT_DB_ALIAS
) -> list[M]:
    """`list(build(*args))`: model instances with their select_related objects and their
    annotations, as Django's ModelIterable makes them. Related objects the caller already
    holds (a reverse manager's owner) are not set: set them."""
    compiled = _compiled(build, args, using)
    if not compiled.sql:
        return []
    compiler = compiled.compiler
    select, klass_info, annotations = (
        compiler.select,
        compiler.klass_info,
        compiler.annotation_col_map,
    )
    assert klass_info is not None, "compiled_instances reads model rows, not values()"
    model = klass_info["model"]
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, using)
    objects = []
    for row in compiler.results_iter(results=[_fetched(compiled, using)]):
        obj = model.from_db(using, attnames, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in (annotations or {}).items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


class CompiledList(Generic[M]):
    """`build(*args)` for a Paginator: its count and each of its pages compiled once per
    (args, page). The count is the ORM's SQL of the rows' keys, counted:
    `SELECT COUNT(*) FROM (SELECT [DISTINCT] pk ...)`, as Django counts a distinct
    queryset."""

    def __init__(self, build: Callable[..., QuerySet[M]], *args: Hashable) -> None:
        self.build = build
        self.args = args
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            sql, params = compiled_sql(_keys_of, self.build, self.args)
            if not sql:
                self._count = 0
            else:
                with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                    cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)  # noqa: S608  # the ORM's SQL
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:
        return iter(self._slice(None, None))

    @overload
    def __getitem__(self, index: int, /) -> M: ...

    @overload
    def __getitem__(self, index: slice, /) -> list[M]: ...

    def __getitem__(self, index: int | slice, /) -> M | list[M]:
        if isinstance(index, int):
            return self._slice(index, index + 1)[0]
        if index.step not in (None, 1):
            raise ValueError("A page is a contiguous slice.")
        return self._slice(index.start, index.stop)

    def _slice(self, start: int | None, stop: int | None) -> list[M]:
        rows: list[M] = compiled_instances(_sliced, self.build, self.args, start, stop)
        return rows


def _keys_of(build: Callable[..., QuerySet[Any]], args: tuple[Any, ...]) -> QuerySet[Any]:
    return build(*args).order_by().values("pk")


def _sliced(
    build: Callable[..., QuerySet[M]], args: tuple[Any, ...], start: int | None, stop: int | None
) -> QuerySet[M]:
    return build(*args)[start:stop]
