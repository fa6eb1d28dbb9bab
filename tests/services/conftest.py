from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.services.factories import EnrolledRecipientFactory

TODAY = date(2026, 11, 20)  # a Friday


@pytest.fixture
def frozen_today():
    with time_machine.travel(
        datetime(2026, 11, 20, 11, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False
    ):
        yield TODAY


@pytest.fixture
def child(dept_a, frozen_today):
    """Nine years old, enrolled since 01.09.2026."""
    return EnrolledRecipientFactory(
        department=dept_a, last_name="Орлов", first_name="Иван", birth_date=date(2017, 3, 1)
    )


@pytest.fixture
def child_b(dept_b, frozen_today):
    return EnrolledRecipientFactory(department=dept_b, last_name="Белов")
