"""A paginator for the lists that can hold hundreds of thousands of rows (the journal of a year):
it counts up to a limit, not the whole selection.

An exact COUNT of a year's journal (some 375,000 records of the centre) costs the database more
than the rest of the page together; a person reads the first pages and narrows the period or the
filter, and a complete list is the export's work. `CappedPaginator` counts at most `cap + 1` rows
(a COUNT over a LIMIT: the index is read that far and no further); above `cap` it says so
(`capped`), and its pages stop at the cap's.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

# 200 pages of 50
DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    def __init__(self, object_list: Any, per_page: int, *, cap: int = DEFAULT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # a COUNT over a LIMIT: a queryset counts in the database, a list by its length
        head = self.object_list[: self.cap + 1]
        return head.count() if isinstance(head, QuerySet) else len(head)

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows than `cap`: the list shows the first `cap` of them."""
        return self._counted > self.cap
