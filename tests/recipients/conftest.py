from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded scans go to a temporary MEDIA_ROOT, never the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
