"""Benchmark: the daily deadline job over 10,000 open items.

Run: `make bench` (or `DEBUG=true .venv/bin/python bench/deadlines_bench.py [--items N]`).
Uses DATABASE_URL when set, else a scratch SQLite file in /tmp; never the app's database.
Prints the wall time and the number of queries of one run, and of a second (idempotent) run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/srcn-bench-deadlines.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

from organisation.actions import notify_deadlines  # noqa: E402
from organisation.models import Department, Notification, Position, User  # noqa: E402
from recipients.models import Recipient  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    today = date(2026, 11, 23)
    dept, _ = Department.objects.get_or_create(name="Бенчмарк: отделение")
    User.objects.get_or_create(
        username="bench-head", defaults={"position": Position.HEAD, "department": dept}
    )
    Notification.objects.all().delete()
    Recipient.objects.filter(department=dept).delete()
    Recipient.objects.bulk_create(
        (
            Recipient(
                last_name=f"Тестов{i}",
                first_name="Иван",
                sex="male",
                birth_date=date(2008, 11, 25),
                department=dept,
                first_day_of_stay=date(2020, 9, 1),  # in service (the state is derived)
                identity_document_kind="passport",  # only the 18th birthday is due
            )
            for i in range(args.items)
        ),
        batch_size=2000,
    )
    from django.conf import settings

    settings.DEBUG = True  # record queries
    for label in ("first run", "second run (nothing new)"):
        reset_queries()
        started = time.perf_counter()
        result = notify_deadlines(today=today)
        elapsed = time.perf_counter() - started
        print(
            f"notify_deadlines, {args.items} open items, {label}: {elapsed:.2f} s, "
            f"{len(connection.queries)} queries, {result.created} notifications created"
        )


if __name__ == "__main__":
    main()
