"""O40 (§4.3): staff qualification upgrades recorded per employee with dates; the head sees
whose upgrade is due (every 3 years by default, `QUALIFICATION_UPGRADE_YEARS`)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from organisation import actions, selectors
from organisation.models import QualificationUpgrade

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _upgrade(employee, by, completed_on, **kw):
    return actions.record_qualification_upgrade(
        employee=employee,
        recorded_by=by,
        course="Технологии социальной работы",
        hours=72,
        completed_on=completed_on,
        document="удостоверение № 1",
        **kw,
    )


def test_the_next_upgrade_is_due_three_years_after_the_last_O40(
    head, specialist, psychologist, settings
):
    _upgrade(specialist, head, date(2024, 3, 1))
    _upgrade(psychologist, head, date(2023, 11, 20), started_on=date(2023, 11, 1))
    rows = {r.employee: r for r in selectors.qualification_status(head, today=TODAY)}
    assert rows[specialist].due == date(2027, 3, 1) and not rows[specialist].is_due(TODAY)
    assert rows[psychologist].due == date(2026, 11, 20) and rows[psychologist].is_due(TODAY)
    assert rows[head].last is None and rows[head].is_due(TODAY)  # nothing recorded: due
    settings.QUALIFICATION_UPGRADE_YEARS = 5
    rows = {r.employee: r for r in selectors.qualification_status(head, today=TODAY)}
    assert rows[psychologist].due == date(2028, 11, 20)


def test_a_head_sees_and_records_the_own_department_only_O40(
    head, specialist, specialist_b, head_b, director, administrator
):
    assert specialist_b not in [r.employee for r in selectors.qualification_status(head)]
    with pytest.raises(PermissionDenied):
        _upgrade(specialist_b, head, date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        _upgrade(specialist, director, date(2026, 1, 1))  # the director reads only
    _upgrade(specialist_b, administrator, date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        _upgrade(specialist, head, date(2026, 12, 1), started_on=date(2026, 12, 5))
    assert set(exc.value.message_dict) == {"completed_on", "started_on"}
    assert {r.employee for r in selectors.qualification_status(director)} >= {
        specialist,
        specialist_b,
    }


def test_the_page_shows_whose_upgrade_is_due_and_records_one_O40(
    client, head, specialist, psychologist
):
    _upgrade(specialist, head, date(2025, 5, 5))
    client.force_login(specialist)
    assert client.get(reverse("qualification_list")).status_code == 403
    client.force_login(head)
    page = client.get(reverse("qualification_list")).content.decode()
    assert 'data-testid="qualification-due"' in page
    assert "05.05.2028" in page
    url = reverse("qualification_add")
    response = client.post(
        url, {"employee": psychologist.pk, "course": "Арт-терапия", "hours": "x"}
    )
    assert response.status_code == 200
    assert "Введите число часов." in response.content.decode()
    response = client.post(
        url,
        {
            "employee": psychologist.pk,
            "course": "Арт-терапия",
            "hours": "36",
            "completed_on": "20.11.2026",
            "document": "удостоверение № 7",
        },
    )
    assert response.status_code == 302
    upgrade = QualificationUpgrade.objects.get(employee=psychologist)
    assert (upgrade.hours, upgrade.completed_on) == (36, date(2026, 11, 20))
    assert upgrade.history.count() == 1


def test_upgrades_are_scoped_like_case_records_O40(head, head_b, specialist, specialist_b):
    _upgrade(specialist, head, date(2025, 1, 1))
    _upgrade(specialist_b, head_b, date(2025, 1, 1))
    assert list(
        QualificationUpgrade.objects.visible_to(head).values_list("employee", flat=True)
    ) == [specialist.pk]
    assert not QualificationUpgrade.objects.visible_to(specialist).exists()
