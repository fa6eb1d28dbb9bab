"""`organisation.links.by_pk` gives the address `reverse` gives, for any primary key."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisation import links


@pytest.mark.parametrize(
    "name",
    [
        "rehab_programs:recipient",
        "services:recipient_compliance",
        "services:programme",
        "services:record",
        "recipients:detail",
        "patronage:appeal_detail",
    ],
)
@pytest.mark.parametrize("pk", [1, 7, 98765, 2147483646, 987654321987])
def test_by_pk_is_reverse(name, pk):
    assert links.by_pk(name)(pk) == reverse(name, args=[pk])
