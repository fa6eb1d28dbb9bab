"""Every periodic job of the system, in one place (read by Celery beat)."""

BEAT_SCHEDULE: dict[str, dict] = {}
