"""Start-page dashboards of the director and the head: figures, links, scoping, query counts;
the share of deadlines met on time (P2/P3, O15)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import Order, OrderKind
from patronage.models import Appeal, AppealGround, Channel
from rehab_programs.models import Area, Diagnostic, Stage
from reports.stats.dashboards import build
from reports.stats.deadline_shares import shares
from reports.stats.periods import Period
from reports.stats.selectors import Scope
from tests.conftest import login
from tests.factories import RecipientFactory
from tests.reports.test_statistics import _order, _record


def _enrolled(dept, n, director, specialist):
    for _ in range(n):
        r = RecipientFactory(department=dept, first_day_of_stay=date(2026, 11, 2))
        _order(r, OrderKind.ENROLMENT, date(2026, 11, 2), director)
        _record(r, dept, "2.3.2", date(2026, 11, 10), 20, specialist)


def test_director_dashboard_counts_the_centre_with_links(
    client, dept_a, dept_b, director, specialist, specialist_b
):
    _enrolled(dept_a, 2, director, specialist)
    _enrolled(dept_b, 1, director, specialist_b)
    login(client, director)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="dashboard"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html
    assert f'href="/recipients/?status=enrolled&amp;department={dept_a.pk}">2<' in html
    assert "<script" not in html.split('data-testid="dashboard"')[1].split("</section>")[0]
    data = build(director, today=date(2026, 11, 29))
    assert data["enrolled_total"] == 3
    assert data["movements"][-1][1].value == 3  # admitted in November
    assert data["orders_waiting"] == 0


def test_head_dashboard_is_the_department_with_specialists_load(
    client, dept_a, dept_b, director, head, specialist, specialist_b
):
    _enrolled(dept_a, 2, director, specialist)
    _enrolled(dept_b, 1, director, specialist_b)
    data = build(head, today=date(2026, 11, 29))
    assert data["enrolled_total"] == 2
    assert [(p["provider"], p["services"]) for p in data["providers"]] == [(specialist.pk, 2)]
    login(client, head)
    html = client.get(reverse("home")).content.decode()
    assert "Нагрузка специалистов в этом месяце" in html
    assert f"provider={specialist.pk}" in html


def test_head_dashboard_ignores_another_department_in_the_address(client, dept_b, head):
    login(client, head)
    response = client.get(reverse("home"), {"department": dept_b.pk})
    assert "Сводка: ОДП" in response.content.decode()


def test_dashboard_queries_do_not_grow_with_the_data(dept_a, director, specialist):
    _enrolled(dept_a, 1, director, specialist)
    build(director, today=date(2026, 11, 29))  # the working-day calendar is read once, cached
    with CaptureQueriesContext(connection) as small:
        build(director, today=date(2026, 11, 29))
    _enrolled(dept_a, 6, director, specialist)
    with CaptureQueriesContext(connection) as large:
        build(director, today=date(2026, 11, 29))
    assert len(large.captured_queries) == len(small.captured_queries) <= 30


def _appeal(dept, received, registered, number):
    return Appeal.objects.create(
        channel=Channel.RECEPTION,
        ground=AppealGround.PERSONAL,
        department=dept,
        received_on=received,
        sender="Иванова",
        content="—",
        registered_on=registered,
        year=registered.year if registered else None,
        number=number if registered else None,
    )


def test_share_of_appeals_registered_on_time_P2_P3(dept_a, director):
    # Monday 01.12.2025: due 04.12 (P2); registered 03.12 — on time.
    _appeal(dept_a, date(2025, 12, 1), date(2025, 12, 3), 1)
    # Monday 08.12.2025: due 11.12; registered 15.12 — late.
    _appeal(dept_a, date(2025, 12, 8), date(2025, 12, 15), 2)
    # Saturday 06.12.2025: 3 following working days (P3) — 10.12; not registered — overdue.
    _appeal(dept_a, date(2025, 12, 6), None, None)
    # Received 29.12.2025, due after the New Year holidays (12.01.2026): outside Q4.
    _appeal(dept_a, date(2025, 12, 29), None, None)
    q4 = Period.quarter(2025, 4)
    share = shares(Scope(director), q4, today=date(2026, 1, 20))[0]
    assert (share.rules, share.on_time, share.total, share.percent) == ("P2, P3", 1, 3, 33)


def test_share_of_primary_diagnostics_on_time_O15(dept_a, director, psychologist):
    on_time = RecipientFactory(department=dept_a, first_day_of_stay=date(2025, 10, 1))
    late = RecipientFactory(department=dept_a, first_day_of_stay=date(2025, 10, 6))
    RecipientFactory(  # no primary diagnostics: overdue since 16.10
        department=dept_a, first_day_of_stay=date(2025, 10, 1)
    )
    for r, on in ((on_time, date(2025, 10, 8)), (late, date(2025, 10, 30))):
        Diagnostic.objects.create(
            recipient=r,
            stage=Stage.PRIMARY,
            area=Area.PSYCHOLOGICAL,
            conducted_on=on,
            conducted_by=psychologist,
            results="—",
        )
    share = next(
        s
        for s in shares(Scope(director), Period.quarter(2025, 4), today=date(2025, 12, 1))
        if s.rules == "O15"
    )
    assert (share.on_time, share.total) == (1, 3)


@pytest.mark.parametrize("who", ["registrar", "administrator", "specialist"])
def test_other_start_pages_have_no_dashboard(client, who, request):
    login(client, request.getfixturevalue(who))
    assert 'data-testid="dashboard"' not in client.get(reverse("home")).content.decode()


def test_orders_waiting_for_the_director(dept_a, director, head):
    r = RecipientFactory(department=dept_a)
    Order.objects.create(
        kind=OrderKind.ENROLMENT, recipient=r, effective_on=date(2026, 11, 2), drafted_by=head
    )
    assert build(director, today=date(2026, 11, 29))["orders_waiting"] == 1


def test_dashboard_figures_are_kept_five_minutes_and_refresh_recounts(
    client, dept_a, director, specialist
):
    _enrolled(dept_a, 1, director, specialist)
    login(client, director)
    first = client.get(reverse("home")).content.decode()
    assert 'data-testid="enrolled-total">1<' in first
    _enrolled(dept_a, 1, director, specialist)
    assert 'data-testid="enrolled-total">1<' in client.get(reverse("home")).content.decode()
    fresh = client.get(reverse("home"), {"refresh": "1"}).content.decode()
    assert 'data-testid="enrolled-total">2<' in fresh
