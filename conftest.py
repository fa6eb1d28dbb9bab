"""Test-wide environment: development settings unless the caller set them."""

import os

os.environ.setdefault("DEBUG", "true")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Tests run Celery tasks in-process unless a test starts a real worker itself.
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
