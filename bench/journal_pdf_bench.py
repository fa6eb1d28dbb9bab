"""The journal of services as PDF: a month of one department, 1,000 records, through the view.

    DEBUG=true .venv/bin/python bench/journal_pdf_bench.py               # the configured DB
    DEBUG=true .venv/bin/python bench/journal_pdf_bench.py --scratch     # a temporary SQLite file
    DEBUG=true .venv/bin/python bench/journal_pdf_bench.py --records 3000

Inside one transaction that is rolled back (the database is left as it was) it makes a
department, a head, children and `--records` journal records within one month, then asks for
`/services/journal/pdf/` for that month as the head through the test client, `--runs` times,
and prints each time, the median, the pages and the size. The budget of issue 13 is 3 s for
1,000 records on the build machine; the script says whether the median is within it.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
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
        from django.core.management import call_command
        from django.db import transaction

        call_command("migrate", verbosity=0)
        with transaction.atomic():
            measure(args)
            transaction.set_rollback(True)
        print("rolled back: the database is unchanged")
    finally:
        if scratch is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(scratch + suffix).unlink(missing_ok=True)


def measure(args: argparse.Namespace) -> None:
    from django.test import Client
    from pypdf import PdfReader

    from organisation.models import Department, Position, User
    from recipients.models import Family, Recipient
    from services.models import Service, ServiceRecord

    dept = Department.objects.create(name="Бенчмарк печати: отделение")
    head = User.objects.create(
        username="bench_pdf_head",
        last_name="Заведующая",
        first_name="Анна",
        patronymic="Петровна",
        position=Position.HEAD,
        department=dept,
    )
    specialist = User.objects.create(
        username="bench_pdf_spec",
        last_name="Специалистова",
        first_name="Мария",
        patronymic="Ивановна",
        position=Position.PSYCHOLOGIST,
        department=dept,
    )
    start = date.today().replace(day=1) - timedelta(days=31)
    start = start.replace(day=1)
    families = Family.objects.bulk_create(
        [Family(name=f"Семья Бенчевых {i}", department=dept) for i in range(40)]
    )
    children = Recipient.objects.bulk_create(
        [
            Recipient(
                last_name=f"Константинопольский{i:02d}",
                first_name="Александр",
                patronymic="Владимирович",
                sex="male",
                birth_date=date(2012 + i % 5, 1 + i % 12, 1 + i % 28),
                family=f,
                department=dept,
                first_day_of_stay=start,
            )
            for i, f in enumerate(families)
        ]
    )
    services = list(Service.objects.plannable()[:30])
    ServiceRecord.objects.bulk_create(
        [
            ServiceRecord(
                recipient=children[i % len(children)],
                department=dept,
                service=services[i % len(services)],
                provider=specialist,
                date=start + timedelta(days=i % 28),
                duration_minutes=30,
                notes="Занятие проведено по плану, ребёнок активен" if i % 3 == 0 else "",
                status="done",
            )
            for i in range(args.records)
        ],
        batch_size=1_000,
    )
    end = start + timedelta(days=30)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(head)
    url = f"/services/journal/pdf/?date_from={start:%d.%m.%Y}&date_to={end:%d.%m.%Y}"
    times = []
    pages = size = 0
    for run in range(args.runs):
        t0 = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - t0
        assert response.status_code == 200, response.status_code
        times.append(took)
        size = len(response.content)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        print(f"  run {run + 1}: {took:.2f} s")
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET_S else "OVER"
    print(
        f"journal PDF, {args.records} records: median {median:.2f} s, {pages} pages, "
        f"{size // 1024} KB — {verdict} the {BUDGET_S:.0f} s budget"
        f" (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
