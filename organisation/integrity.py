"""Races that end at a unique constraint answer like the check they raced.

An action checks first («such a draft already exists») and the database's unique constraint
guards the moment between the check and the insert. When two requests pass the check at once,
the second one's insert fails; `refused_as` turns that IntegrityError into the check's own
message, so the user sees a sentence instead of a server error.
"""

from __future__ import annotations

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
