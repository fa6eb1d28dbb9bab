"""Configuration: production mode, the environment, Celery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3!r8v#z0p@w5q^m2x&c7n*b4t(y9u)e1o-s6d+f=g_h_j;l:a,z.x/c?v~b",
    "ALLOWED_HOSTS": "srcn.example.ru",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "prod-check.sqlite3"),
    # The centre's details for the documents (reports.W001 warns while one is missing).
    "CENTRE_ADDRESS": "160000, г. Вологда, ул. Примерная, д. 1",
    "CENTRE_PHONE": "+7 (8172) 00-00-00",
    "CENTRE_CITY": "г. Вологда",
    "CENTRE_INN": "3525000000",
    "CENTRE_OGRN": "1023500000000",
}


# What the test run sets for itself; the production check must not inherit it.
TEST_ONLY_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "CELERY_TASK_ALWAYS_EAGER",
    "DEMO",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_administrator_is_warned_of_unset_centre_details():
    """Documents print a blank where a detail of the centre is not set: `check` says which."""
    env = {**PRODUCTION_ENV, "CENTRE_PHONE": "", "CENTRE_INN": ""}
    result = run_manage("check", "--deploy", env=env)
    out = result.stdout + result.stderr
    assert "reports.W001" in out
    assert "телефон" in out and "ИНН" in out
    assert "CENTRE_PHONE" in out and "CENTRE_INN" in out
    assert "адрес" not in out.split("reports.W001")[1].split("HINT")[0]


def test_production_urls_have_no_demonstration_document():
    """The demonstration document («Образец документа») is served in development only."""
    probe = (
        "from django.urls import NoReverseMatch, reverse\n"
        "try:\n    reverse('reports:demo')\nexcept NoReverseMatch:\n    print('absent')\n"
        "else:\n    print('present')\n"
    )
    result = run_manage("shell", "--no-imports", "-c", probe, env=PRODUCTION_ENV)
    assert result.stdout.split()[-1:] == ["absent"], result.stdout + result.stderr
    result = run_manage("shell", "--no-imports", "-c", probe, env={"DEBUG": "true"})
    assert result.stdout.split()[-1:] == ["present"], result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_time_zone_and_language(settings):
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.USE_TZ is True
    assert os.environ.get("TIME_ZONE", "Europe/Moscow") == settings.TIME_ZONE


def test_tasks_run_in_process_when_celery_is_eager(settings):
    """The embedded setup (and the tests) run tasks eagerly: no worker, no broker needed."""
    from config.celery import app, ping

    assert app.conf.task_always_eager is True
    assert ping.delay().get(timeout=5) == "pong"


@pytest.mark.redis
def test_a_real_worker_answers_through_redis():
    """A Celery worker started in this process takes a task from the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app, ping

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        if os.environ.get("CI"):
            pytest.fail("CI must run with CELERY_BROKER_URL pointing at Redis")
        pytest.skip("no Redis broker configured (CELERY_BROKER_URL)")
    app.conf.update(
        task_always_eager=False,
        broker_url=broker,
        result_backend=broker,
    )
    app._backend_cache = None  # the app keeps the backend it made first (none in eager tests)
    vars(app._local).pop("backend", None)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            assert ping.delay().get(timeout=20) == "pong"
    finally:
        app.conf.update(task_always_eager=True, result_backend=None)
        app._backend_cache = None
        vars(app._local).pop("backend", None)


def test_production_refuses_the_demo_mode_without_a_second_factor():
    """Issue 11: DEMO (no second factor) is for a developer machine only."""
    result = run_manage("check", env={**PRODUCTION_ENV, "DEMO": "true"})
    assert result.returncode != 0
    assert "DEMO is for a demonstration" in result.stderr
