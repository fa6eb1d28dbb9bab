"""Settings of the test suite: the development settings with Celery tasks run in-process.

pytest-django imports this module before any conftest runs, so the defaults below are in
place when config.settings reads the environment. A test that needs a real worker starts one
itself (see tests/test_settings.py).
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Most tests sign in with force_login; the second factor's own tests turn DEMO off.
os.environ.setdefault("DEMO", "true")

from config.settings import *  # noqa: F403

# pytest-xdist's workers share the Redis broker of the tests that start a real Celery worker:
# each takes its own queue, so that no worker runs a task against another's test database.
if os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_TASK_DEFAULT_QUEUE = f"srcn-tests-{os.environ['PYTEST_XDIST_WORKER']}"

# The test database needs no durability: a commit (the transactional tests', the fixtures')
# does not wait for the disk.
if "postgresql" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405

# Users are made in nearly every test, and the demo centre that several modules load once
# (outside any test's own settings) makes fifteen: PBKDF2's deliberate slowness (a quarter of a
# second a password) is not under test. The password tests check what they need with any hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
