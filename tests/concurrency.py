"""Running an action from several threads at once, each on its own database connection.

Used by the race tests (`pytest.mark.django_db(transaction=True)`), which run on PostgreSQL
only: SQLite serialises writers, so it cannot show a race or the lock that prevents it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection, connections


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("races need real concurrent connections: PostgreSQL only")


def run_at_once(calls: Sequence[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Start every call in its own thread at the same moment; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            value = call()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, errors
