"""The tests that run on the demo centre: the URL matrix, the form fuzzer, the demo recipients
and the demo loaded again. The centre is loaded once for the package (`manage.py load_demo`,
some 13,800 statements through the real actions) and rolled back after it; each module adds
its records and sessions in a savepoint of its own, each test runs in one more.
`tests/conftest.py` hands the package to one pytest-xdist worker as a whole, so that the
centre is loaded once in the whole run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo_centre(django_db_setup, django_db_blocker):
    """The demo centre, loaded once for the package and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
