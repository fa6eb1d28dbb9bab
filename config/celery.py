"""The Celery app. Periodic schedules are listed in one place: config/schedule.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("srcn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Answers "pong": used to check that a worker is up and reaches the broker."""
    return "pong"
