"""Journal of services on a large generated journal: the list page query and group logging.

    make bench                                        # 500,000 records on the configured DB
    DEBUG=true .venv/bin/python bench/journal_bench.py --records 20000
    DATABASE_URL=postgres://… DEBUG=true .venv/bin/python bench/journal_bench.py
    DEBUG=true .venv/bin/python bench/journal_bench.py --scratch   # a temporary SQLite file

It migrates the configured database (DATABASE_URL, else db.sqlite3), then inside ONE
transaction that is rolled back at the end (so the database is left as it was) generates
children, programmes and journal records in bulk batches and prints the time and the number of
queries of: the journal list page of one department (count, first and a deep page) as the view
builds it, the journal and «Мой день» pages through the test client, and logging a group of
ten through `log_group_service` and through the form. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=500_000)
    parser.add_argument("--children", type=int, default=400)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--scratch", action="store_true", help="use a temporary SQLite file")
    args = parser.parse_args()

    scratch: str | None = None
    if args.scratch:
        fd, scratch = tempfile.mkstemp(prefix="srcn-bench-", suffix=".sqlite3")
        os.close(fd)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    try:
        run(args)
    finally:
        if scratch is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(scratch + suffix).unlink(missing_ok=True)


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries

    reset_queries()
    start = time.perf_counter()
    result = fn()
    ms = (time.perf_counter() - start) * 1000
    print(f"  {label:<58} {ms:9.1f} ms  {len(connection.queries):3d} queries")
    return result


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = True  # query log
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t0:.1f} s")
    from django.db import transaction

    with transaction.atomic():
        measure(args)
        transaction.set_rollback(True)  # leave the database as it was
    print("rolled back: the database is unchanged")


def measure(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    settings.DEBUG = True  # query log

    from organisation.models import Department, Position, User
    from recipients.models import Family, Recipient
    from services import actions
    from services.models import (
        IndividualProgramme,
        Per,
        ProgrammeLine,
        Service,
        ServiceRecord,
    )

    rng = random.Random(42)
    today = date.today()
    dept, _ = Department.objects.get_or_create(name="Бенчмарк: отделение 1")
    other, _ = Department.objects.get_or_create(name="Бенчмарк: отделение 2")
    staff = []
    for i, d in enumerate((dept, other)):
        user, _ = User.objects.get_or_create(
            username=f"bench{i}",
            defaults={"position": Position.PSYCHOLOGIST, "department": d, "last_name": "Бенч"},
        )
        staff.append(user)
    start_day = today - timedelta(days=365)

    t0 = time.perf_counter()
    families = Family.objects.bulk_create(
        [
            Family(name=f"Семья {i}", department=dept if i % 2 else other)
            for i in range(args.children)
        ]
    )
    children = Recipient.objects.bulk_create(
        [
            Recipient(
                last_name=f"Фамилия{i:04d}",
                first_name="Имя",
                sex="male",
                birth_date=date(2012 + i % 5, 1 + i % 12, 1 + i % 28),
                family=f,
                department_id=f.department_id,
                first_day_of_stay=start_day,
            )
            for i, f in enumerate(families)
        ]
    )
    services = list(
        Service.objects.plannable().exclude(code__startswith="5.").exclude(form="group")
    )
    gym = Service.objects.get(code="2.3.2")
    programmes = IndividualProgramme.objects.bulk_create(
        [
            IndividualProgramme(recipient=c, drawn_up_on=start_day, valid_from=start_day)
            for c in children
        ]
    )
    ProgrammeLine.objects.bulk_create(
        [ProgrammeLine(programme=p, service=gym, count=3, per=Per.WEEK) for p in programmes]
    )
    print(f"{len(children)} children with programmes in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    # Plain INSERTs in batches (what bulk_create sends, without building model instances):
    # generating half a million rows through the ORM would measure Python, not the database.
    table = ServiceRecord._meta.db_table
    columns = [
        "created_at",
        "updated_at",
        "recipient_id",
        "department_id",
        "service_id",
        "provider_id",
        "date",
        "duration_minutes",
        "notes",
        "reason_outside_programme",
        "source",
        "status",
        "cancellation_reason",
    ]
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    per_statement = 2_000  # 13 columns: 26,000 parameters, under SQLite's and PostgreSQL's limits
    now = timezone.now()
    made = 0
    with connection.cursor() as cursor:
        while made < args.records:
            n = min(args.batch, args.records - made)
            rows = []
            for _ in range(n):
                child = children[rng.randrange(len(children))]
                rows.append(
                    (
                        now,
                        now,
                        child.pk,
                        child.department_id,
                        services[rng.randrange(len(services))].pk,
                        staff[0].pk if child.department_id == dept.pk else staff[1].pk,
                        start_day + timedelta(days=rng.randrange(365)),
                        30,
                        "",
                        "",
                        "",
                        "done",
                        "",
                    )
                )
            for i in range(0, len(rows), per_statement):
                chunk = rows[i : i + per_statement]
                cursor.execute(
                    head + ", ".join([row_marks] * len(chunk)),
                    [value for row in chunk for value in row],
                )
            made += n
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - t0
    total = ServiceRecord.objects.count()
    print(f"{total:,} journal records generated in {elapsed:.1f} s".replace(",", " "))

    user = staff[0]
    print("journal list page of one department (the view's query):")
    qs = (
        ServiceRecord.objects.visible_to(user)
        .for_journal()
        .filter(date__gte=today - timedelta(days=30), date__lte=today)
    )
    timed("last 30 days: count + first page of 50", lambda: list(Paginator(qs, 50).page(1)))
    everything = ServiceRecord.objects.visible_to(user).for_journal()
    paginator = Paginator(everything, 50)
    timed("whole journal: count", lambda: paginator.count)
    timed("whole journal: first page of 50", lambda: list(paginator.page(1)))
    timed("whole journal: page 100", lambda: list(paginator.page(100)))

    with override_settings(ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"]):
        client = Client()
        client.force_login(user)
        for label in ("first", "again"):
            timed(
                f"GET /services/journal/ (whole request, {label})",
                lambda: client.get("/services/journal/"),
            )
        for label in ("first", "again"):
            timed(
                f"GET /agenda/my-day/ (whole request, {label})",
                lambda: client.get("/agenda/my-day/"),
            )
        timed(
            "GET /services/compliance/ (department, this month)",
            lambda: client.get("/services/compliance/"),
        )

    print("group logging:")
    group = [c for c in children if c.department_id == dept.pk][:10]
    timed(
        "log_group_service: 10 children, one session",
        lambda: actions.log_group_service(
            recipients=group,
            service=gym,
            provider=user,
            date=today,
            duration_minutes=20,
        ),
    )
    with override_settings(ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"]):
        data = {
            "service": gym.pk,
            "recipients": [c.pk for c in group],
            "date": today.strftime("%d.%m.%Y"),
            "duration_minutes": "20",
            "escorts": "1",
        }
        response = timed(
            "POST /services/log/group/ (10 children, whole request)",
            lambda: client.post("/services/log/group/", data),
        )
        print(f"  → status {response.status_code}")


if __name__ == "__main__":
    main()
