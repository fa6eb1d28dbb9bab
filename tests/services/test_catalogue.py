"""The catalogue of the Order (O3, O29): every code present, norms as the Order says."""

from __future__ import annotations

import pytest

from services.models import CategoryKind, Per, Service, ServiceCategory, ServiceForm

pytestmark = pytest.mark.django_db

# Every code of the table «ОПИСАНИЕ СОЦИАЛЬНЫХ УСЛУГ, ИХ ОБЪЕМ» of the Order (50 codes).
ORDER_CODES = [
    "1.1", "1.2", "1.2.1", "1.3", "1.4", "1.5", "1.6", "1.6.1", "1.6.2", "1.7", "1.7.1", "1.7.2",
    "2.1", "2.1.1", "2.2", "2.2.1", "2.2.2", "2.3", "2.3.1", "2.3.2", "2.4",
    "3.1", "3.1.1", "3.1.2", "3.2", "3.3", "3.3.1", "3.3.2", "3.4", "3.4.1", "3.4.2",
    "4.1", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.2", "4.2.1", "4.2.2",
    "5.1", "5.1.1", "5.1.2",
    "6.1", "6.1.1", "6.1.2", "6.2",
    "7.1", "7.1.2", "7.1.1",
]  # fmt: skip


def test_every_code_of_the_order_is_in_the_catalogue_O3():
    assert len(set(ORDER_CODES)) == 50
    present = set(Service.objects.values_list("code", flat=True))
    assert set(ORDER_CODES) - present == set()


def test_all_seven_categories_plus_urgent_and_patronage_O2():
    assert list(ServiceCategory.objects.values_list("code", flat=True)) == [
        "1", "2", "3", "4", "5", "6", "7", "С", "П",
    ]  # fmt: skip
    assert Service.objects.urgent().count() == 6
    assert Service.objects.get(code="П.1").category.kind == CategoryKind.PATRONAGE
    assert Service.objects.count() == 57


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # psychological consultation: ≤ 60 min, at least once per service period
        ("3.1.1", {"max_minutes": 60, "frequency_count": 1, "frequency_per": Per.PERIOD}),
        ("3.3.1", {"max_minutes": 45}),  # diagnostics ≤ 45 min
        ("3.4.1", {"max_minutes": 45}),  # correction ≤ 45 min
        ("3.2", {"max_minutes": 30}),  # psychological help ≤ 30 min
        ("1.6.2", {"min_minutes": 30}),  # reading ≥ 30 min
        ("1.7.1", {"frequency_count": 2, "frequency_per": Per.DAY}),  # face washing twice a day
        ("2.3.1", {"min_minutes": 60, "frequency_count": 1, "frequency_per": Per.DAY}),  # walks
        ("2.3.2", {"min_minutes": 15, "frequency_count": 3, "frequency_per": Per.WEEK}),
        ("4.2.1", {"frequency_count": 1, "frequency_per": Per.MONTH, "escort_limit": 10}),
        ("5.1.1", {"min_age": 14, "max_age": 18, "form": ServiceForm.INDIVIDUAL}),
        ("5.1.2", {"min_age": 14, "max_age": 18, "form": ServiceForm.GROUP, "escort_limit": 10}),
        ("6.1.1", {"min_age": 10, "max_age": None}),
    ],
)
def test_norms_equal_the_text_of_the_order_O3_O29(code, expected):
    s = Service.objects.get(code=code)
    assert {k: getattr(s, k) for k in expected} == expected


def test_norm_texts_are_the_orders_wording_O29():
    assert Service.objects.get(code="1.7.1").frequency_text == "не реже 2 раз в день"
    assert Service.objects.get(code="2.3.2").frequency_text == "не реже 3 раз в неделю"
    assert Service.objects.get(code="2.3.2").unit == "1 услуга — 1 занятие"


def test_groups_are_not_loggable_and_leaves_know_their_group():
    group = Service.objects.get(code="3.4")
    assert not group.is_leaf
    leaf = Service.objects.select_related("parent").get(code="3.4.1")
    assert leaf.parent == group
    assert leaf.display_name.startswith("Психологическая коррекция: индивидуальная")
    assert not Service.objects.leaves().filter(code="3.4").exists()


def test_loading_the_catalogue_again_changes_nothing_O3():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("services.migrations.0002_load_catalogue")
    before = dict(Service.objects.values_list("code", "pk"))
    s = Service.objects.get(code="3.2")
    s.max_minutes = 99
    s.save()
    migration.load_catalogue(apps, None)
    assert dict(Service.objects.values_list("code", "pk")) == before
    assert Service.objects.get(code="3.2").max_minutes == 30


def test_the_administrator_may_edit_the_catalogue(administrator, specialist):
    assert administrator.has_perm("services.change_service")
    assert administrator.has_perm("services.add_servicecategory")
    assert not specialist.has_perm("services.change_service")


def test_the_administrator_edits_the_catalogue_in_the_admin_with_history_O3(client, administrator):
    from django.urls import reverse

    client.force_login(administrator)
    assert client.get(reverse("admin:services_service_changelist")).status_code == 200
    s = Service.objects.get(code="1.6.2")
    url = reverse("admin:services_service_change", args=[s.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:services_service_delete", args=[s.pk])).status_code == 403
    assert client.get(reverse("admin:services_service_history", args=[s.pk])).status_code == 200
