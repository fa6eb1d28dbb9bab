"""Races that end at a unique constraint answer like the check they raced.

An action checks first («such a draft already exists») and the database's unique constraint
guards the moment between the check and the insert. When two requests pass the check at once,
the second one's insert fails; `refused_as` turns that IntegrityError into the check's own
message, so the user sees a sentence instead of a server error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refused_as(message: Any) -> Iterator[None]:
    """Run the block in a savepoint; a unique violation becomes ValidationError(message)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError(message) from exc


def serialise_on(*key: str) -> None:
    """Make everyone who checks the same thing («is this child already registered?») wait for
    each other until their transactions end, where no row exists yet to lock and no unique
    constraint can guard the check (a name and a date of birth are not unique): PostgreSQL's
    transaction-level advisory lock on a hash of `key`. On SQLite (the embedded setup of one
    workplace) nothing is taken. Call it inside the transaction, before the check."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("serialise_on() must run inside the transaction of the check")
    digest = hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )
