from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.rehab_programs.factories import composition

TODAY = datetime(2026, 12, 15, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def consilium_members(director, head, psychologist, specialist):
    """The membership by the director's order: the head chairs, the psychologist is secretary."""
    return composition(director, head, psychologist, specialist)
