"""One helper for every yearly number: unique, no gaps, no retries (P2 for appeals)."""

from __future__ import annotations

import pytest
from django.db import transaction

from organisation.models import NumberSeries, YearlyCounter
from organisation.numbering import last_number, next_number
from tests.concurrency import run_at_once, skip_unless_postgresql


@pytest.mark.django_db
def test_numbers_follow_each_other_per_series_and_year():
    with transaction.atomic():
        assert [next_number(NumberSeries.ORDER, 2026) for _ in range(3)] == [1, 2, 3]
        assert next_number(NumberSeries.APPEAL, 2026) == 1
        assert next_number(NumberSeries.ORDER, 2027) == 1
    assert last_number(NumberSeries.ORDER, 2026) == 3
    assert last_number(NumberSeries.CONTRACT, 2026) == 0


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    """No gaps: a record that is not saved does not use up a number."""
    with transaction.atomic():
        next_number(NumberSeries.PROTOCOL, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number(NumberSeries.PROTOCOL, 2026) == 2
        raise RuntimeError("the record failed to save")
    with transaction.atomic():
        assert next_number(NumberSeries.PROTOCOL, 2026) == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_helper_refuses():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number(NumberSeries.ORDER, 2026)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_takers_get_twenty_different_numbers_without_gaps():
    skip_unless_postgresql()

    def take() -> int:
        with transaction.atomic():
            return next_number(NumberSeries.ORDER, 2026)

    results, errors = run_at_once([take] * 20)
    assert not errors
    assert sorted(results) == list(range(1, 21))
    assert YearlyCounter.objects.get(series=NumberSeries.ORDER, year=2026).last_number == 20
