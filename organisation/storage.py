"""Files written only when their row commits.

`OnCommitStorage` (the storage of uploaded scans) keeps a file saved inside a transaction in a
temporary file and writes it under its name when the transaction commits
(`transaction.on_commit`); when the transaction rolls back — the row refused, a later step of
the request failing — nothing is written, so no file is left on disk without its record.
Outside a transaction it writes at once, like `FileSystemStorage`.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.deconstruct import deconstructible

SPOOL_BYTES = 1024 * 1024  # kept in memory up to this size, then in a temporary file


@deconstructible
class OnCommitStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        if not transaction.get_connection().in_atomic_block:
            return super()._save(name, content)  # type: ignore[misc]
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 closed by write()
        for chunk in content.chunks():
            spool.write(chunk)
        spool.seek(0)

        def write() -> None:
            with spool:
                FileSystemStorage._save(self, name, File(spool, name))  # type: ignore[attr-defined]

        transaction.on_commit(write)
        return name


def scan_storage() -> OnCommitStorage:
    return OnCommitStorage()
