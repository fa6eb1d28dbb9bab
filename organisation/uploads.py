"""Uploads kept to a size on the server's disk.

Django writes an upload larger than `FILE_UPLOAD_MAX_MEMORY_SIZE` to a temporary file as it
arrives, whole, before any form looks at it: a 2 GB file sent to the scan field would fill the
disk first and be refused afterwards. `SizeLimitedUploadHandler` stops writing a file once it
passes `MAX_UPLOAD_SIZE` — the rest of it is read and dropped — and hands the form an empty
file that carries the upload's true size, so that the field's own check («Файл больше 10 МБ»)
answers next to it, with the other fields of the form parsed and kept. (The TLS proxy's
`client_max_body_size` keeps such a request off the network in the first place.)
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

# The largest file any form of the app takes (a scan of the personal file).
MAX_UPLOAD_SIZE = 10 * 1024 * 1024


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_SIZE:
            return None  # dropped: the file is refused by its size anyway
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile | None:
        upload = super().file_complete(file_size)  # `size` is the size that arrived
        if upload is not None and file_size > MAX_UPLOAD_SIZE:
            self.file.file.truncate(0)  # type: ignore[union-attr]
        return upload


def too_large(upload: UploadedFile, limit: int = MAX_UPLOAD_SIZE) -> str | None:
    """The message for a file over `limit`, or None."""
    if upload.size is not None and upload.size > limit:
        return f"Файл больше {limit // (1024 * 1024)} МБ."
    return None
