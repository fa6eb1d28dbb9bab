"""Statements PostgreSQL plans once per connection: the deadline register's.

The register's statement (the union of every kind, some 20 kB of SQL) costs PostgreSQL 3–7 ms to
plan, a quarter of its execution, and its text repeats from request to request: it changes only
with the day, the filter and the post holders. On PostgreSQL `fetch_all` prepares it under a
name derived from its text, once per connection, and then only executes it. The plan is kept,
never the rows: the data are read at every execution, and PostgreSQL plans again by itself after
a change of the tables' schema or statistics. A connection keeps its `KEPT` most recently used
statements (a plan of the register takes about 1.3 MB of the server's memory). Prepared
statements belong to a server session: a pooler between Django and PostgreSQL must keep one
session per connection (not pool by transaction).

Elsewhere (SQLite; psycopg binding parameters on the server, which prepares by itself) it is an
ordinary query.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connection

KEPT = 6


class _Statements:
    """The statements this module prepared on one connection to the server."""

    def __init__(self) -> None:
        self.names: OrderedDict[str, None] = OrderedDict()  # least recently used first
        # prepared or deallocated by a batch that failed: whether it exists is asked of the server
        self.unsure: set[str] = set()


# by the driver's connection (a server session), which a pool may hand to any thread
_on: WeakKeyDictionary[Any, _Statements] = WeakKeyDictionary()


def _statements() -> _Statements:
    raw = connection.connection
    state = _on.get(raw)
    if state is None:
        state = _on[raw] = _Statements()
    return state


def _binds_on_client(cursor: Any) -> bool:
    try:
        from psycopg import ClientCursor
    except ImportError:  # psycopg2 binds on the client too, but is not this project's driver
        return False
    return isinstance(cursor.cursor, ClientCursor)


@lru_cache(maxsize=64)
def _composed(sql: str, params: tuple[Any, ...]) -> tuple[str, str]:
    """The statement's text with its parameters bound (PostgreSQL's `compose_sql`, which parses
    the whole text) and its name: the same for the same SQL and parameters, so made once."""
    text = connection.ops.compose_sql(sql, list(params))  # type: ignore[attr-defined]
    return text, "prepared_" + hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of `sql` with `params`; on PostgreSQL planned once per connection (see above)."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not _binds_on_client(cursor):
            cursor.execute(sql, list(params))
            return cursor.fetchall()
        try:
            text, name = _composed(sql, tuple(params))
        except TypeError:  # a parameter that cannot be hashed
            text, name = _composed.__wrapped__(sql, tuple(params))
        state = _statements()
        if name in state.unsure:
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
            if cursor.fetchone():
                state.names[name] = None
            state.unsure.discard(name)
        if name in state.names:
            state.names.move_to_end(name)
            cursor.execute(f"EXECUTE {name}")
            return cursor.fetchall()
        evicted = []
        while len(state.names) >= KEPT:
            evicted.append(state.names.popitem(last=False)[0])
        # one round trip and one query (as the query counts of the pages see it)
        batch = "".join(f"DEALLOCATE {old}; " for old in evicted)
        try:
            cursor.execute(f"{batch}PREPARE {name} AS {text}; EXECUTE {name}")
        except Exception:
            state.unsure.update([name, *evicted])
            raise
        state.names[name] = None
        while cursor.nextset():  # the rows are the last statement's
            pass
        return cursor.fetchall()
