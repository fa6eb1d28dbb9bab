"""The statistical report's figures, asked together (`reports.stats.selectors.report_figures`:
a few statements in one round trip), equal the straightforward computation of each figure (the
selectors' one-query functions) on the demo centre: the centre, each department and a head,
for a quarter, a year and three years."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from organisation.models import Department, User
from recipients.models import Circumstance
from reports.stats import selectors as s
from reports.stats.periods import Period
from reports.stats.selectors import Scope


def _straightforward(scope: Scope, period: Period) -> dict:
    codes = list(Circumstance.values)
    return {
        "age_sex": s.served_by_age_and_sex(scope, period),
        "circumstances": s.served_by_circumstance(scope, period, codes),
        "movements": s.movements(scope, period),
        "person_days": s.person_days(scope, period),
        "discharges_by_ground": s.discharges_by_ground(scope, period),
        "services_by_kind": s.services_by_kind(scope, period),
        "services_totals": s.services_totals(scope, period, urgent=False),
        "services_by_service": s.services_by_service(scope, period),
        "appeals_by_ground": s.appeals_by(scope, period, "ground"),
        "appeals_by_channel": s.appeals_by(scope, period, "channel"),
        "appeals_registered_late": s.appeals_registered_late(scope, period),
        "patronage": s.patronage_figures(scope, period),
        "rehab": s.rehab_figures(scope, period),
        "quality": s.quality_figures(scope, period),
    }


def _periods() -> list[Period]:
    today = timezone.localdate()
    return [
        Period.quarter_of(today),
        Period(today - timedelta(days=365), today),
        Period(today - timedelta(days=3 * 365), today + timedelta(days=30)),
    ]


def _scopes() -> list[Scope]:
    director = User.objects.get(position="director", is_active=True)
    head = User.objects.filter(position="head", is_active=True).order_by("pk").first()
    assert head is not None
    departments = Department.objects.order_by("pk").values_list("pk", flat=True)
    return [
        Scope(director),
        *(Scope(director, pk) for pk in departments),
        Scope(head, head.department_id),
    ]


@pytest.mark.parametrize("period", range(3))
def test_report_figures_equal_each_figure_computed_alone(demo_centre, db, period):
    chosen = _periods()[period]
    codes = tuple(Circumstance.values)
    for scope in _scopes():
        together = s.report_figures(scope, chosen, codes)
        again = s.report_figures(scope, chosen, codes)  # its statements built once, data read
        assert together == again == _straightforward(scope, chosen), (scope, chosen)


def test_the_demo_centre_gives_the_comparison_figures_to_compare(demo_centre, db):
    """Not a comparison of zeros: over three years the demo centre has figures in every
    section."""
    director = User.objects.get(position="director", is_active=True)
    f = s.report_figures(Scope(director), _periods()[2], tuple(Circumstance.values))
    assert f["age_sex"]["total"]["all"] > 0
    assert f["services_totals"]["services"] > 0 and f["services_by_service"]
    assert sum(f["appeals_by_ground"].values()) > 0
    assert f["patronage"]["visits"]["total"] > 0
    assert f["rehab"]["diagnosed"] > 0
