"""Yearly numbers of registers (appeals, orders, protocols, contracts): one helper for all.

A number is taken by incrementing the register's counter row of that year while the row is
locked (`SELECT … FOR UPDATE`). A second transaction asking for a number waits for the first to
commit or roll back, so numbers are unique without retries, and a rolled-back transaction gives
its number back, so there are no gaps. Call it inside the transaction that saves the record.
"""

from __future__ import annotations

from django.db import transaction

from organisation.models import NumberSeries, YearlyCounter


def next_number(series: NumberSeries | str, year: int) -> int:
    """The next number of `series` in `year`; must run inside the saving transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the record")
    # Create the year's row if it is missing; a concurrent creator wins quietly.
    YearlyCounter.objects.bulk_create(
        [YearlyCounter(series=series, year=year)], ignore_conflicts=True
    )
    counter = YearlyCounter.objects.select_for_update().get(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def last_number(series: NumberSeries | str, year: int) -> int:
    """The last number given in `series` in `year` (0 when none)."""
    row = YearlyCounter.objects.filter(series=series, year=year).first()
    return row.last_number if row else 0
