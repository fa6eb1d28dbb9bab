"""The director's and the head's start-page dashboards: a few aggregate queries each, every chart
with its table, every figure a link into the records it counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from orders.models import OrderKind
from organisation import policy
from organisation.models import Department, Role, User
from organisation.navigation import view_action
from reports.stats import charts
from reports.stats import selectors as s
from reports.stats.deadline_shares import shares
from reports.stats.periods import MONTHS_SHORT, Period
from reports.stats.selectors import ORDER_KINDS, Scope
from reports.stats.statistics import link
from services.models import CategoryKind

# The charts by month cover this many months up to the current one.
MONTHS_SHOWN = 6


def months_back(today: date, n: int = MONTHS_SHOWN) -> Period:
    first = today.replace(day=1)
    for _ in range(n - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(first, Period.month(today.year, today.month).end)


def _month_label(m: date) -> str:
    return f"{MONTHS_SHORT[m.month - 1]} {m:%y}"


def _opens(user: User, url_name: str) -> bool:
    action = view_action(url_name)
    return action is None or policy.may(user, action)


def build(user: User, *, department_id: int | None = None, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    if user.role == Role.HEAD:
        department_id = user.department_id
    scope = Scope(user, department_id)
    base = {"department": department_id}
    window = months_back(today)
    this_month = Period.month(today.year, today.month)

    # Recipients now, by department.
    enrolled = s.enrolled_now(scope)
    departments = Department.objects.filter(pk__in=list(enrolled) or [department_id or 0])
    names = {d.pk: str(d) for d in departments}
    enrolled_rows = [
        (names.get(pk, "—"), n, link("recipients", status="enrolled", department=pk))
        for pk, n in sorted(enrolled.items(), key=lambda kv: names.get(kv[0], ""))
    ]

    # Admissions and discharges by month.
    movements = s.movements_by_month(scope, window)
    move_groups = []
    for m, row in movements.items():
        p = Period.month(m.year, m.month).as_query()
        q = {**base, **p, "status": "approved"}
        move_groups.append(
            charts.Group(
                _month_label(m),
                [
                    charts.Bar(row["admitted"], link("orders", kind=OrderKind.ENROLMENT, **q)),
                    charts.Bar(row["discharged"], link("orders", kind=OrderKind.DISCHARGE, **q)),
                ],
            )
        )

    # Services by the eight kinds of the Order, by month.
    by_month = s.services_by_month(scope, window)
    kind_labels = dict(CategoryKind.choices)
    service_groups = []
    service_rows = []
    for m, counts in by_month.items():
        p = Period.month(m.year, m.month).as_query()
        bars = [
            charts.Bar(
                counts.get(k, 0),
                link("journal", kind=k, status="done", **base, **p),
                f"{kind_labels[k]}, {_month_label(m)}: {counts.get(k, 0)}",
            )
            for k in ORDER_KINDS
        ]
        service_groups.append(charts.Group(_month_label(m), bars))
        service_rows.append((_month_label(m), bars))

    # Deadlines met on time: this quarter against the last.
    quarter = Period.quarter_of(today)
    previous = quarter.previous_quarter()
    now_shares = shares(scope, quarter, today=today)
    before_shares = shares(scope, previous, today=today)
    share_rows: list[dict[str, Any]] = [
        # the list of a rule is linked only for those who may open it (the director does not
        # review patronage records, P13: the link answered 403)
        {"now": a, "before": b, "url": reverse(a.url_name) if _opens(user, a.url_name) else ""}
        for a, b in zip(now_shares, before_shares, strict=True)
    ]

    load = s.patronage_load(scope, this_month)
    context: dict[str, Any] = {
        "today": today,
        "window": window,
        "quarter": quarter,
        "previous_quarter": previous,
        "enrolled_rows": enrolled_rows,
        "enrolled_total": sum(enrolled.values()),
        "free_places": s.free_places(scope),  # None while no department records its beds
        "enrolled_url": link("recipients", status="enrolled", **base),
        "enrolled_chart": charts.bar_chart(enrolled_rows, title="Получатели по отделениям"),
        "movements": [(g.label, g.bars[0], g.bars[1]) for g in move_groups],
        "movements_chart": charts.column_chart(
            move_groups, ["зачислено", "снято"], title="Зачисление и снятие по месяцам"
        ),
        "kind_labels": [kind_labels[k] for k in ORDER_KINDS],
        "service_rows": service_rows,
        "services_chart": charts.column_chart(
            service_groups,
            [kind_labels[k] for k in ORDER_KINDS],
            title="Услуги по видам по месяцам",
            stacked=True,
            height=240,
        ),
        "share_rows": share_rows,
        "shares_chart": charts.bar_chart(
            [(r["now"].label, r["now"].percent or 0, r["url"]) for r in share_rows],
            title="Доля сроков, соблюдённых в текущем квартале",
            maximum=100,
            unit="%",
        ),
        "load": load,
        "load_links": {
            "open_cases": link("cases", show="open", **base),
            "visits": link("visits", status="completed", **base, **this_month.as_query()),
            "planned": link("visits", status="planned", **base),
            "overdue": link("visits", status="overdue", **base),
        },
        "orders_waiting": s.orders_waiting(scope),
        "orders_waiting_url": link("orders", status="draft"),
        "report_url": link_report(department_id),
    }
    if user.role == Role.HEAD:
        month_q = {**base, **this_month.as_query(), "status": "done"}
        context["providers"] = [
            {
                **r,
                "name": f"{r['provider__last_name']} {r['provider__first_name'][:1]}.".strip(),
                "url": link("journal", provider=r["provider"], **month_q),
            }
            for r in s.load_by_provider(scope, this_month)
        ]
    return context


def link_report(department_id: int | None) -> str:
    url = reverse("stats:statistics")
    return f"{url}?department={department_id}" if department_id else url
