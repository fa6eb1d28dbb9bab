"""The log of every opening of a personal card, scan or printed form."""

from __future__ import annotations

from organisation.models import User
from recipients.models import (
    AccessKind,
    AccessLog,
    Recipient,
)


def log_access(
    *, recipient: Recipient, user: User, kind: AccessKind | str = AccessKind.CARD, detail: str = ""
) -> AccessLog:
    """Every opening of a personal card, scan or printed form: who and when."""
    return AccessLog.objects.create(
        recipient=recipient, user=user, kind=kind, detail=detail[:300], created_by=user
    )
