"""Reports at scale: a quarter's statistical report against its raw SQL, the dashboards' render.

    DATABASE_URL=postgres://…/srcn_bench DEBUG=true .venv/bin/python bench/reports_bench.py

It reads the configured database as it is (fill it first with `bench/generate.py`, then point
DATABASE_URL at that database). The generator records stays on the children's cards but no
director's orders, and the reports count stays from the approved orders: on a database without
approved orders this script first writes an enrolment order (and a discharge order) for each
child from the card's dates (`--no-orders` skips it). It then prints, warm, median of `--runs`:

1. the statistical report of the last full quarter for the centre and for one department
   (`reports.stats.statistics.build`, every query it makes) against the same SQL run raw through the
   DB cursor (no ORM, no Python around it) — the ratio is the cost of the ORM and of building
   the tables;
2. the heaviest aggregate, services by kind for the quarter, written by hand in SQL against
   `reports.stats.selectors.services_by_kind`;
3. the dashboards: their figures counted (`reports.stats.dashboards.build`), and the start page
   through the test client with the figures recounted (`?refresh=1`) and kept (the figures are
   cached five minutes per scope); a head's start page also draws the services' compliance
   widget, which is not part of the dashboard.

Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics as stats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW_SERVICES_BY_KIND = """
SELECT c.kind, COUNT(*), COUNT(DISTINCT r.recipient_id), SUM(r.duration_minutes)
FROM services_servicerecord r
JOIN services_service s ON s.id = r.service_id
JOIN services_servicecategory c ON c.id = s.category_id
WHERE r.status = 'done' AND r.date >= %s AND r.date <= %s {dept}
GROUP BY c.kind
"""


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return stats.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-orders", action="store_true", help="do not add the orders")
    args = parser.parse_args()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if not args.no_orders:
        add_orders()
    run(args.runs)


def add_orders() -> None:
    """Approved orders from the cards' stays, when the database has none (bench data only)."""
    from orders.models import Order, OrderKind, OrderStatus
    from organisation.models import User
    from recipients.models import Recipient

    if Order.objects.filter(status=OrderStatus.APPROVED).exists():
        return
    director = User.objects.filter(position="director").first()
    if director is None:
        return
    orders = []
    numbers: dict[int, int] = {}

    def order(r: Any, kind: str, on: Any) -> Any:
        numbers[on.year] = numbers.get(on.year, 0) + 1
        return Order(
            kind=kind,
            recipient_id=r.pk,
            status=OrderStatus.APPROVED,
            effective_on=on,
            year=on.year,
            number=numbers[on.year],
            signed_on=on,
            drafted_by=director,
            decided_by=director,
            created_by=director,
        )

    stays = Recipient.objects.filter(first_day_of_stay__isnull=False).only(
        "pk", "first_day_of_stay", "discharged_on"
    )
    for r in stays.order_by("first_day_of_stay", "pk"):
        orders.append(order(r, OrderKind.ENROLMENT, r.first_day_of_stay))
        if r.discharged_on:
            orders.append(order(r, OrderKind.DISCHARGE, r.discharged_on))
    Order.objects.bulk_create(orders, batch_size=1000)
    print(f"added {len(orders):,} approved orders from the cards' stays")


def run(runs: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from organisation.models import Department, User
    from recipients.models import Recipient
    from reports.stats import selectors, statistics
    from reports.stats.periods import Period
    from reports.stats.selectors import Scope
    from services.models import ServiceRecord

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"recipients: {Recipient.objects.count():,}; "
        f"journal records: {ServiceRecord.objects.count():,}"
    )
    director = User.objects.filter(position="director", is_active=True).first()
    head = User.objects.filter(position="head", is_active=True, department__isnull=False).first()
    if director is None or head is None:
        print("No director or head in this database: generate the data first.")
        return
    today = timezone.localdate()
    quarter = Period.quarter_of(today).previous_quarter()
    print(f"quarter: {quarter.label}\n")

    print(f"{'what':<58} {'median':>9} {'max':>9}  queries")
    for label, scope in (
        ("report, centre", Scope(director)),
        (f"report, department {head.department}", Scope(head, head.department_id)),
    ):
        statistics.build(scope, quarter)  # warm
        with CaptureQueriesContext(connection) as captured:
            statistics.build(scope, quarter)
        sqls = [q["sql"] for q in captured.captured_queries]

        def raw(sqls: list[str] = sqls) -> None:
            with connection.cursor() as cursor:
                for sql in sqls:
                    cursor.execute(sql)
                    cursor.fetchall()

        orm_med, orm_max = median_ms(lambda scope=scope: statistics.build(scope, quarter), runs)
        raw_med, raw_max = median_ms(raw, runs)
        print(f"  {label:<56} {orm_med:8.1f}  {orm_max:8.1f}  {len(sqls):3d}")
        print(f"  {'  the same SQL, raw':<56} {raw_med:8.1f}  {raw_max:8.1f}  {len(sqls):3d}")
        print(f"  {'  ratio report / raw SQL':<56} {orm_med / raw_med:8.2f}")

    for label, scope, dept in (
        ("services by kind, centre", Scope(director), ""),
        ("services by kind, department", Scope(head, head.department_id), "dept"),
    ):
        sql = RAW_SERVICES_BY_KIND.format(dept="AND r.department_id = %s" if dept else "")
        params = [quarter.start, quarter.end] + ([head.department_id] if dept else [])

        def hand(sql: str = sql, params: list = params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        orm_med, orm_max = median_ms(
            lambda scope=scope: selectors.services_by_kind(scope, quarter), runs
        )
        raw_med, raw_max = median_ms(hand, runs)
        print(f"  {label + ' (ORM)':<56} {orm_med:8.1f}  {orm_max:8.1f}")
        print(f"  {label + ' (hand-written SQL)':<56} {raw_med:8.1f}  {raw_max:8.1f}")
        print(f"  {'  ratio':<56} {orm_med / raw_med:8.2f}")

    from pages_bench import _pass_second_factor  # type: ignore[import-not-found]

    from reports.stats import dashboards

    client = Client()
    for who, user in (("director", director), ("head", head)):
        with CaptureQueriesContext(connection) as captured:
            dashboards.build(user)
        med, mx = median_ms(lambda user=user: dashboards.build(user), runs)
        n = len(captured.captured_queries)
        print(f"  {'dashboard figures counted, ' + who:<56} {med:8.1f}  {mx:8.1f}  {n:3d}")
        client.force_login(user)
        # past the second factor, or the start page would be the redirect to the code page
        _pass_second_factor(client, user)
        response = client.get("/")  # warm: the figures are kept five minutes
        assert response.status_code == 200, response.status_code
        med, mx = median_ms(lambda: client.get("/?refresh=1"), runs)
        print(f"  {'start page, figures recounted (?refresh=1), ' + who:<56} {med:8.1f}  {mx:8.1f}")
        med, mx = median_ms(lambda: client.get("/"), runs)
        print(f"  {'start page, figures kept (within 5 min), ' + who:<56} {med:8.1f}  {mx:8.1f}")
    print(f"\ndepartments: {Department.objects.count()}")


if __name__ == "__main__":
    main()
