"""What a page builds through the ORM once per shape of its query, kept for the next request.

Building and compiling a page's queries (subqueries of the calendar, a union of kinds, the
children's lines) costs more Python than the database takes to answer them, and their SQL
depends only on a few things (the scope's SQL, the day, the filter): the shape. `kept(key,
build)` returns what `build()` made the first time for that key (SQL and parameters, or a
compiler with its converters), never rows: the data are read at every execution. Per thread and
database alias, as a compiler holds its thread's connection; at most `LIMIT` shapes a thread,
then it starts afresh. The process-wide ones that keep only text (the deadline register's
union, the ИПСРН list's SQL) use `functools.lru_cache` directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection

T = TypeVar("T")
LIMIT = 512

_local = threading.local()


def kept(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """`build()`, made once per `key` on this thread and database (see the module)."""
    store: dict[tuple[Any, ...], Any] = _local.__dict__.setdefault("kept", {})
    full = (connection.alias, *key)
    try:
        found = store.get(full)
    except TypeError:  # a part of the key that cannot be hashed: built every time
        return build()
    if found is None:
        found = build()
        if len(store) >= LIMIT:
            store.clear()
        store[full] = found
    return found


def forget() -> None:
    """Drop what this thread keeps (tests that count how often a shape is built)."""
    _local.__dict__.pop("kept", None)
