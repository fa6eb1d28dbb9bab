"""`OneQueryValidation`: a record's keys checked in one query and its check constraints in another,
with the same answers and the same errors as Django's own `clean_fields` and
`validate_constraints` (which ask once per key and once per constraint)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, models
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from organisation.models import QualificationUpgrade

pytestmark = pytest.mark.django_db


def _upgrade(employee, **changes) -> QualificationUpgrade:
    fields = {
        "employee": employee,
        "created_by": employee,
        "course": "Технологии социальной работы",
        "hours": 72,
        "started_on": date(2026, 10, 1),
        "completed_on": date(2026, 10, 20),
        "document": "удостоверение № 1",
    }
    return QualificationUpgrade(**{**fields, **changes})


def _errors(check, *args) -> dict[str, list[str]] | None:
    try:
        check(*args)
    except ValidationError as e:
        return e.message_dict
    return None


def _asked(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_the_keys_are_asked_in_one_query_and_the_check_constraints_in_another(specialist, head):
    upgrade = _upgrade(specialist, created_by=head)  # two keys, two check constraints
    with CaptureQueriesContext(connection) as ours:
        upgrade.clean_fields()
        upgrade.validate_constraints()
    with CaptureQueriesContext(connection) as djangos:
        models.Model.clean_fields(upgrade)
        models.Model.validate_constraints(upgrade)
    assert len(_asked(ours.captured_queries)) == 2
    assert len(_asked(djangos.captured_queries)) == 4
    assert len(ours.captured_queries) < len(djangos.captured_queries)


@pytest.mark.parametrize(
    "changes, exclude",
    [
        ({}, None),
        ({"employee_id": 10**9}, None),  # the key's row is not there
        ({"created_by_id": 10**9, "employee_id": 10**9 + 1}, None),
        ({"employee_id": 10**9}, ["employee"]),
        ({"hours": 0}, None),  # O40: the hours
        ({"started_on": date(2026, 11, 1)}, None),  # O40: started after completed
        ({"hours": 0, "started_on": date(2026, 11, 1)}, None),
        ({"hours": 0, "started_on": date(2026, 11, 1)}, ["hours"]),
        ({"started_on": date(2026, 11, 1)}, ["completed_on"]),  # the constraint is not asked
        ({"started_on": None}, None),  # NULL passes a check constraint
        ({"hours": 0, "employee_id": 10**9, "course": ""}, None),  # field, key and constraint
        ({"hours": "много"}, None),  # not a number: the field's error, no key question lost
    ],
)
def test_the_answers_and_errors_are_djangos_own_O40(specialist, changes, exclude):
    ours, djangos = _upgrade(specialist, **changes), _upgrade(specialist, **changes)
    assert _errors(ours.clean_fields, exclude) == _errors(
        models.Model.clean_fields, djangos, exclude
    )
    values = [f.attname for f in QualificationUpgrade._meta.concrete_fields if f.editable]
    assert [getattr(ours, v) for v in values] == [getattr(djangos, v) for v in values]
    if "hours" not in changes or isinstance(changes["hours"], int):
        assert _errors(ours.validate_constraints, exclude) == _errors(
            models.Model.validate_constraints, djangos, exclude
        )


def test_a_key_typed_as_text_is_cleaned_as_django_cleans_it(specialist):
    """A key from a form or a URL arrives as text: kept as Django keeps it, converted where the
    row is there and left as typed where it is not."""
    for employee_id in (str(specialist.pk), str(10**9)):
        ours, djangos = (_upgrade(specialist, employee_id=employee_id) for _ in range(2))
        assert _errors(ours.clean_fields) == _errors(models.Model.clean_fields, djangos)
        assert ours.employee_id == djangos.employee_id
    assert ours.employee_id == str(10**9)


def test_a_failing_constraint_query_falls_back_to_djangos_questions(specialist, monkeypatch):
    """A database error in the one query (a value the database cannot compare) leaves each
    constraint to Django, which asks it alone; the transaction stays usable."""
    failed = []
    real = SQLCompiler.execute_sql

    def fail_once(self, *args, **kwargs):
        if not failed and any(a.startswith("check_") for a in self.query.annotations):
            failed.append(True)
            raise DatabaseError("simulated")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "execute_sql", fail_once)
    upgrade = _upgrade(specialist, hours=0)
    with pytest.raises(ValidationError) as refused:
        upgrade.validate_constraints()
    assert failed
    assert refused.value.messages == ["Укажите объём программы в часах."]
    assert QualificationUpgrade.objects.count() == 0  # the connection still answers
