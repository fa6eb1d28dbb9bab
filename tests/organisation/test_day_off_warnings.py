"""The day-off warning (a day-stay centre does not work on Sundays and holidays unless the
administrator marked the day as worked) on «Мой день», the diagnostics form and the visits."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from organisation.actions import day_off_warning, mark_centre_work_day
from tests.conftest import login
from tests.patronage.factories import case_with_appeal
from tests.rehab_programs.factories import enrolled_child

SUNDAY = date(2026, 11, 15)


def test_the_warning_names_a_day_off_unless_the_centre_worked(dept_a, administrator):
    assert day_off_warning(date(2026, 11, 16), dept_a.pk) == ""
    assert day_off_warning(SUNDAY, dept_a.pk).startswith("15.11.2026 — нерабочий день")
    mark_centre_work_day(day=SUNDAY, note="лагерь", marked_by=administrator)
    assert day_off_warning(SUNDAY, dept_a.pk) == ""


def test_my_day_shows_a_day_off_as_such(client, psychologist):
    login(client, psychologist)
    with time_machine.travel(SUNDAY):
        page = client.get(reverse("agenda:my_day")).content.decode()
    assert 'data-testid="day-off"' in page
    with time_machine.travel(date(2026, 11, 16)):
        page = client.get(reverse("agenda:my_day")).content.decode()
    assert 'data-testid="day-off"' not in page


def test_a_diagnostic_on_a_day_off_is_kept_with_a_warning(client, dept_a, psychologist):
    child = enrolled_child(dept_a)
    with time_machine.travel(date(2026, 11, 20)):
        response = login(client, psychologist).post(
            reverse("rehab_programs:diagnostic_add", args=[child.pk]),
            {
                "stage": "primary",
                "area": "psychological",
                "form": "individual",
                "conducted_on": "15.11.2026",
                "duration_minutes": "40",
                "methods": "Тест Люшера",
                "results": "Тревожность",
            },
            follow=True,
        )
    assert "15.11.2026 — нерабочий день по производственному календарю" in (
        response.content.decode()
    )
    assert child.diagnostics.count() == 1


def test_a_visit_planned_on_a_day_off_is_kept_with_a_warning(
    client, registrar, head, specialist, dept_a
):
    with time_machine.travel(date(2026, 3, 20)):
        case = case_with_appeal(
            registrar=registrar, head=head, department=dept_a, specialist=specialist
        )
        response = login(client, specialist).post(
            reverse("patronage:visit_plan", args=[case.pk]),
            {"kind": "primary", "planned_on": "22.03.2026", "specialist": specialist.pk},
            follow=True,
        )
    assert "22.03.2026 — нерабочий день" in response.content.decode()
    assert case.visits.count() == 1
