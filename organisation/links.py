"""The address of a record by its key, for lists that link every row.

`reverse()` matches the URL patterns anew on each call (tens of microseconds); a list of fifty
rows paid for it fifty times. `record_url` reverses a view once per URL prefix with a
placeholder key and puts each row's key in its place: the same address, for the views addressed
by one integer key (`<int:pk>`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme

# No address of ours holds these digits but where the key goes.
_PLACEHOLDER = "7301942865"


def record_url(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])`."""
    head, tail = around_key(viewname)
    return f"{head}{int(pk)}{tail}"


def around_key(viewname: str) -> tuple[str, str]:
    """The parts of the view's address before and after the key, for a template that writes
    many rows' addresses itself."""
    return _around_key(viewname, get_script_prefix(), get_urlconf())


def by_pk(viewname: str) -> Callable[[int], str]:
    """`record_url` of one view, as a function of the key: for a list's rows."""
    return partial(record_url, viewname)


@lru_cache(maxsize=128)
def _around_key(viewname: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    url = reverse(viewname, args=[int(_PLACEHOLDER)], urlconf=urlconf)
    head, found, tail = url.partition(_PLACEHOLDER)
    if not found or _PLACEHOLDER in tail:
        raise ValueError(f"{viewname}: not addressed by one integer key")
    return head, tail


def local_next(request: HttpRequest, default: str) -> str:
    """The `next` address of a form or a button (POST, else GET) when it is a path of this site,
    `default` otherwise. Django's own check, not a look at the first characters: a browser
    reads «/\\host» and «/<tab>/host» as «//host», another site."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None):
        return nxt
    return default
