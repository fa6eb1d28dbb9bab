"""Every periodic job of the system, in one place (read by Celery beat)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # Deadline notifications and escalation; the job itself skips non-working days.
    "notify-deadlines": {
        "task": "organisation.tasks.notify_deadlines",
        "schedule": crontab(hour=7, minute=30),
    },
    # Background exports are kept a week, then deleted with their files.
    "purge-exports": {
        "task": "reports.tasks.purge_exports",
        "schedule": crontab(hour=3, minute=15),
    },
}
