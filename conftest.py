"""Test-wide environment. The settings' defaults for tests are in config/test_settings.py."""

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
