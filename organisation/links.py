"""Links to the rows of a long list without a `reverse()` per row.

`record_url = links.by_pk("services:recipient")` resolves the route once; `record_url(pk)`
then only fills the number in. The same address `{% url "services:recipient" pk %}` gives.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A number no route contains by itself: the slot the primary key goes into.
_SLOT = 987654321987


def by_pk(name: str) -> Callable[[int], str]:
    head, tail = reverse(name, args=[_SLOT]).split(str(_SLOT))
    return lambda pk: f"{head}{pk}{tail}"
