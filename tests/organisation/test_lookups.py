"""organisation/lookups.py: `__in` on integer columns with values they cannot hold."""

from __future__ import annotations

import pytest

from organisation.models import Department

pytestmark = pytest.mark.django_db


def test_ids_out_of_the_columns_range_match_nothing_and_the_others_still_match():
    department = Department.objects.create(name="Отделение проверки", short_name="ОП")
    huge, negative = 10**23, -(10**23)
    assert list(Department.objects.filter(pk__in=[huge])) == []
    assert list(Department.objects.filter(pk__in=[huge, department.pk, negative])) == [department]
    assert Department.objects.exclude(pk__in=[huge]).filter(pk=department.pk).exists()
