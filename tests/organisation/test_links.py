"""`record_url` (and `by_pk`, its function of the key) is `reverse` for the views addressed by one
integer key."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from organisation.links import by_pk, record_url

VIEWS = [
    "patronage:appeal_detail",
    "orders:detail",
    "consilium:meeting",
    "rehab_programs:recipient",
    "services:recipient_compliance",
    "services:programme",
    "services:record",
    "recipients:detail",
]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("pk", [1, 42, 2147483646, 1234567890123])
def test_record_url_is_reverse(viewname, pk):
    assert record_url(viewname, pk) == reverse(viewname, args=[pk])
    assert by_pk(viewname)(pk) == reverse(viewname, args=[pk])


def test_record_url_follows_the_script_prefix():
    try:
        set_script_prefix("/centre/")
        assert record_url("orders:detail", 7) == reverse("orders:detail", args=[7])
        assert record_url("orders:detail", 7).startswith("/centre/")
    finally:
        set_script_prefix("/")
    assert record_url("orders:detail", 7) == reverse("orders:detail", args=[7])


def test_a_view_not_addressed_by_one_key_is_refused():
    with pytest.raises(Exception):  # noqa: B017 - NoReverseMatch or ValueError
        record_url("orders:list", 7)
