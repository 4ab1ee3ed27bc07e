from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from core.roles import Role

from .browser_support import browser, live_portal  # noqa: F401  (fixtures)
from .factories import TEST_PASSWORD, UserFactory
from .fakes.graph import _fake_graph_server, fake_graph  # noqa: F401  (fixtures)
from .fakes.line import _fake_line_server, fake_line  # noqa: F401  (fixtures)
from .worker import celery_worker_process  # noqa: F401  (fixture)


def _delete_instead_of_truncate() -> None:
    """A transactional test ends by emptying every table. On PostgreSQL Django does it with
    one TRUNCATE of all 114 tables, which cost 0.6-1.0 s a test here (new files for every
    table); a DELETE from each, in one transaction, costs 0.03-0.1 s on the few rows a test
    leaves. Every foreign key is DEFERRABLE INITIALLY DEFERRED (Django makes them so), so
    the order does not matter, and there are no triggers. DELETE also takes only row locks,
    where TRUNCATE waited for any request the live server still had open.
    Test infrastructure only; reset_sequences and allow_cascade keep Django's own statement."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush


_delete_instead_of_truncate()


def _restore_in_bulk() -> None:
    """A transactional test starts by restoring what the migrations left (658 rows: the
    permissions, content types, role groups and reference data). Django saves them one by
    one, two queries a row (0.42 s a test here); this writes each model's rows in one
    statement (0.07 s) and each many-to-many's links in another, in one transaction, then
    checks the constraints as Django does. Test infrastructure only: a model with parents (which
    bulk_create refuses) keeps Django's row-by-row save."""
    from io import StringIO

    from django.core import serializers
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.transaction import atomic

    def deserialize_db_from_string(self, data):
        alias = self.connection.alias
        rows: dict[type, list] = {}
        links: list[tuple[object, dict]] = []
        with atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
                    instance = deserialized.object
                    if instance._meta.parents:
                        deserialized.save()
                        rows.setdefault(type(instance), [])
                        continue
                    rows.setdefault(type(instance), []).append(instance)
                    if deserialized.m2m_data:
                        links.append((instance, deserialized.m2m_data))
                for model, instances in rows.items():
                    if instances:
                        _upsert(model._base_manager.using(alias), instances)
                for instance, m2m_data in links:
                    for name, targets in m2m_data.items():
                        field = instance._meta.get_field(name)
                        through = field.remote_field.through
                        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                        through._base_manager.using(alias).bulk_create(
                            [
                                through(**{f"{source}_id": instance.pk, f"{target}_id": pk})
                                for pk in targets
                            ],
                            ignore_conflicts=True,
                        )
            self.connection.check_constraints(table_names={model._meta.db_table for model in rows})

    def _upsert(manager, instances) -> None:
        # The first such test of a worker restores onto the migrated rows themselves:
        # like Django's save(), a row whose key exists is written over.
        meta = instances[0]._meta
        fields = [f.name for f in meta.concrete_fields if not f.primary_key]
        if not fields:
            manager.bulk_create(instances, ignore_conflicts=True)
            return
        manager.bulk_create(
            instances, update_conflicts=True, unique_fields=[meta.pk.name], update_fields=fields
        )

    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string


_restore_in_bulk()

# Fixtures that start a server, Chromium or a Celery worker.
PROCESS_FIXTURES = ("live_server", "live_portal", "browser", "celery_worker_process")


def pytest_collection_modifyitems(items):
    """Tests that start processes are `slow`, so that CI can run them once (-m slow) and
    the other runs leave them out (-m "not slow"): every test marked `worker` or `browser`
    or using a fixture that starts a process; the others say so with @pytest.mark.slow.

    Every transactional test (browser, worker, live server) restores the database it
    found, reference data and role groups included.

    A transactional test ends with a flush; a plain one then re-creates the role groups
    (post_migrate) under new ids, which the next serialized test's snapshot collides with.
    Serializing them all keeps one rule: each starts from the migrated database.
    """
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if not item.get_closest_marker("slow") and (
            item.get_closest_marker("worker")
            or item.get_closest_marker("browser")
            or any(name in fixtures for name in PROCESS_FIXTURES)
        ):
            item.add_marker(pytest.mark.slow)
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        order = _django_order(item)
        if order == 2:
            item.add_marker(pytest.mark.no_db)
        if order == 1 and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    _long_tests_first(items)


def pytest_make_parametrize_id(config, val, argname):
    """Bytes are named by their length, not their contents. Every xdist worker collects
    the tests itself and all must agree on the ids: a .docx made at import carries the
    time in its zip headers, and two workers a second apart collected two different
    tests, which stops the whole run ("Different tests were collected")."""
    if isinstance(val, bytes | bytearray):
        return f"{argname}-{len(val)}-bytes"
    return None


def _django_order(item) -> int:
    """pytest-django's order (tryfirst, so already applied): plain database tests, then
    transactional ones, then those without a database."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    kwargs = marker.kwargs if marker else {}
    if (
        kwargs.get("transaction")
        or kwargs.get("reset_sequences")
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    ):
        return 1
    return 0 if marker or "db" in fixtures else 2


def _long_tests_first(items) -> None:
    """The tests marked `long` go first: on several workers, a two-minute browser sweep
    that starts last is a run's last two minutes alone. pytest-django's order of the
    database tests is kept (checked, and all is left alone if it is not as expected):
    the plain ones, then the transactional ones, each group long tests first. The long
    tests without a database (the deploy stack) may go before them all."""
    orders = [_django_order(item) for item in items]
    if orders != sorted(orders):
        return

    def rank(entry):
        order, index, item = entry
        is_long = bool(item.get_closest_marker("long"))
        group = -1 if order == 2 and is_long else order
        return (group, not is_long, index)

    ranked = sorted(zip(orders, range(len(items)), items, strict=True), key=rank)
    items[:] = [item for _, _, item in ranked]


@pytest.fixture(scope="session")
def django_db_keepdb(
    request, django_db_modify_db_settings, django_db_createdb, django_db_blocker
) -> bool:
    """On PostgreSQL under pytest-xdist, each worker's test database is a copy of one
    migrated once per run (`CREATE DATABASE ... TEMPLATE`, a quarter of a second) instead of
    migrated again by every worker (25 s of CPU each, four workers in CI). pytest-django
    then keeps it (migrate finds nothing to apply; the snapshot for serialized rollback is
    made as before) and the next run copies it afresh. --reuse-db and --create-db keep
    their meaning."""
    if request.config.getvalue("reuse_db"):
        return True
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    run = getattr(request.config, "workerinput", {}).get("testrunuid")
    if django_db_createdb or not worker or not run:
        return False
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with django_db_blocker.unblock():
        _copy_migrated_template(connection, run)
    return True


def _copy_migrated_template(connection, run: str) -> None:
    """Django's own pieces: the server connection its test creation uses (_nodb_cursor)
    and the migrate command, run here on the template as create_test_db runs it."""
    import fcntl
    import tempfile
    from pathlib import Path

    from django.core.management import call_command

    own = connection.creation._get_test_db_name()
    template = own.rsplit("_gw", 1)[0] + "_template"
    quoted = connection.ops.quote_name
    folder = Path(tempfile.gettempdir())
    with open(folder / f"{template}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker migrates; the others wait for it
        made = folder / f"{template}.{run}"
        if not made.exists():
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted(template)}")
                cursor.execute(f"CREATE DATABASE {quoted(template)}")
            name = connection.settings_dict["NAME"]
            connection.close()
            connection.settings_dict["NAME"] = template
            try:
                call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
            finally:
                connection.close()  # a template is copied only when nobody is connected
                connection.settings_dict["NAME"] = name
            made.touch()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted(own)}")
            cursor.execute(f"CREATE DATABASE {quoted(own)} TEMPLATE {quoted(template)}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's set-up, then the migrated database's snapshot made visible to
    every connection object.

    Django keeps the snapshot for serialized rollback on the connection object, and
    connections are per context: once Playwright's sync API runs (in a greenlet), test
    code gets a fresh connection object without it, and the rollback silently did
    nothing. On the class, every connection of that backend finds it.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _live_server_settles(request):
    """A test on the live server ends only when the server's requests have.

    The live server outlives the test, and a page the browser left (photos still loading
    under a throttled network, a poll) keeps a request running in one of its threads.
    On PostgreSQL that request's transaction and the flush that ends the test take the
    same tables' locks in different orders, and the flush fails ("couldn't be flushed").
    Set up after the database fixture, this runs its teardown first: it waits for the
    other sessions on the test database to finish and ends any that do not.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        _wait_for_other_sessions(connection)


def _wait_for_other_sessions(connection, timeout: float = 15.0) -> None:
    import time

    others = """
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute(others)
            pids = [row[0] for row in cursor.fetchall()]
            if not pids:
                return
            if time.monotonic() > deadline:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s) AS pid", [pids])
                return
            time.sleep(0.1)


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert exact messages; each test states the language it checks."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rolled-back ids come back on SQLite, so a cache keyed by ids (the statistics
    ranking's) must not outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def fresh_compiled():
    """core.compiled's store emptied around the test, for a test that counts its entries
    or its builds (the store itself is right across tests: SQL does not depend on rows)."""
    from core import compiled

    compiled._COMPILED.clear()
    yield compiled._COMPILED
    compiled._COMPILED.clear()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def make_user(db):
    def make(role: Role | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def fao_user(make_user):
    return make_user(Role.FAO, username="fao")


@pytest.fixture
def sdo_user(make_user):
    return make_user(Role.SDO, username="sdo")


@pytest.fixture
def seo_user(make_user):
    return make_user(Role.SEO, username="seo")


@pytest.fixture
def executive_user(make_user):
    return make_user(Role.EXECUTIVE, username="executive")


@pytest.fixture
def users_by_role(fao_user, sdo_user, seo_user, executive_user):
    return {
        Role.FAO: fao_user,
        Role.SDO: sdo_user,
        Role.SEO: seo_user,
        Role.EXECUTIVE: executive_user,
    }


@pytest.fixture
def client_for(db):
    """A test client logged in as the given user, speaking English unless told."""

    def make(user, language: str = "en") -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if user is not None:
            client.force_login(user)
        return client

    return make
