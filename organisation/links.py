"""Links of list pages: one `reverse()` per list, not one per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A primary key no table reaches, which stands for the row's own in the reversed path.
_MARKER = 2_147_483_647


def pk_url(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for the rows of a list: the route is reversed once and
    each row's key put in its place."""
    head, tail = reverse(viewname, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{head}{pk}{tail}"
