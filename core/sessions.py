"""The session store: Django's database sessions, read with one SQL statement written once.

Every signed-in page reads its session first. Django's store reads it through the ORM
(`Session.objects.get(...)`), whose queryset is built and compiled again on every request
and cost more in Python than the read in the database (#19). What is read, and when a
session counts as expired, is Django's; writing, cycling and clearing are Django's code.
"""

from __future__ import annotations

import functools

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return None
        with connection.cursor() as cursor:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            cursor.execute(_read_sql(connection.vendor), [key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store does for a key it cannot find: a new session is made.
            self._session_key = None
            return None
        # load() reads only the data; the expiry it keeps is inside it.
        return Session(session_key=key, session_data=row[0])


@functools.cache
def _read_sql(vendor: str) -> str:
    del vendor  # the cache's key: quoting differs between databases
    qn = connection.ops.quote_name
    fields = {field.name: qn(field.column) for field in Session._meta.concrete_fields}
    data, expires, key = fields["session_data"], fields["expire_date"], fields["session_key"]
    # Names from the model's metadata, quoted; the values are parameters.
    return f"SELECT {data} FROM {qn(Session._meta.db_table)} WHERE {key} = %s AND {expires} > %s"  # noqa: S608
