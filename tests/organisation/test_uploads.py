"""Uploads kept to a size on the server's disk (organisation/uploads.py)."""

from __future__ import annotations

import os

from django.test import RequestFactory

from organisation.uploads import MAX_UPLOAD_SIZE, SizeLimitedUploadHandler, too_large

CHUNK = 64 * 1024


def _receive(size: int) -> tuple[SizeLimitedUploadHandler, list[int]]:
    """Hand the handler `size` bytes as Django's parser does; the temporary file's size on
    disk after each chunk."""
    handler = SizeLimitedUploadHandler(RequestFactory().post("/"))
    handler.new_file("scan", "big.pdf", "application/pdf", size)
    on_disk = []
    for start in range(0, size, CHUNK):
        chunk = b"0" * min(CHUNK, size - start)
        data = handler.receive_data_chunk(chunk, start)
        if data is not None:
            handler.file.write(data)
        handler.file.flush()
        on_disk.append(os.path.getsize(handler.file.temporary_file_path()))
    return handler, on_disk


def test_a_file_over_the_limit_stops_growing_on_disk_and_keeps_its_true_size():
    size = MAX_UPLOAD_SIZE + 3 * 1024 * 1024
    handler, on_disk = _receive(size)
    assert max(on_disk) <= MAX_UPLOAD_SIZE
    upload = handler.file_complete(size)
    assert upload.size == size  # what the form's size check reads
    assert os.path.getsize(upload.temporary_file_path()) == 0
    assert too_large(upload) == "Файл больше 10 МБ."
    upload.close()


def test_a_file_within_the_limit_arrives_whole():
    size = MAX_UPLOAD_SIZE - 1
    handler, on_disk = _receive(size)
    upload = handler.file_complete(size)
    assert upload.size == size == on_disk[-1]
    assert too_large(upload) is None
    upload.close()
