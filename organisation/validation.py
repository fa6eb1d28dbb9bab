"""Model validation in two queries instead of one per key and per constraint.

`full_clean` asks the database whether each foreign key's row exists (a query per key) and whether
each check constraint holds (a savepoint, a query and its release per constraint): a record of
four keys and three constraints costs thirteen round trips before it is saved. `OneQueryValidation`
asks the same questions of the same rows, the keys in one query and the check constraints in
another. What is asked does not change: the key's row through the related model's base manager
with the key's `limit_choices_to`, the constraint's condition on the instance's values with NULL
counted as a pass, a field left out by `exclude` leaving out the constraints that read it. Only
the answers that fail are asked again Django's own way, so that the errors, their messages and
codes are Django's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import nullcontext
from typing import Any

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.expressions import DatabaseDefault
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class OneQueryValidation(models.Model):
    """The project's base model: `clean_fields` and `validate_constraints` as Django's, with the
    database asked once for all the keys and once for all the check constraints."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        skipped = set(exclude or ())
        keys = [f for f in _keys(self) if f.name not in skipped]
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=skipped | {f.name for f in keys})
        except ValidationError as e:
            errors.update(e.error_dict)
        to_look_up = []
        for field in keys:
            raw_value = getattr(self, field.attname)
            if field.blank and raw_value in field.empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            try:
                value = field.to_python(raw_value)
                models.Field.validate(field, value, self)  # null, blank, choices
                field.run_validators(value)
            except ValidationError as e:
                errors[field.name] = e.error_list
                continue
            to_look_up.append((field, value))
        missing = dict(_missing_rows(self, [(f, v) for f, v in to_look_up if v is not None]))
        for field, value in to_look_up:
            if field in missing:
                try:
                    field.validate(value, self)  # Django's own question and error
                except ValidationError as e:
                    errors[field.name] = e.error_list
                    continue
            setattr(self, field.attname, value)  # as Django's: the cleaned value, if valid
        if errors:
            order = [f.name for f in self._meta.fields]
            raise ValidationError(dict(sorted(errors.items(), key=lambda e: order.index(e[0]))))

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        using = router.db_for_write(self.__class__, instance=self)
        own = [
            c
            for model, constraints in self.get_constraints()
            if model is self.__class__
            for c in constraints
            if isinstance(c, CheckConstraint)
        ]
        exclude = set(exclude or ())
        held = _holding(self, own, exclude, using)
        errors: dict[str, Any] = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                if model is self.__class__ and id(constraint) in held:
                    continue
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as e:
                    fields: Sequence[str] = getattr(constraint, "fields", ())
                    if getattr(e, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _keys(instance: models.Model) -> list[models.ForeignKey]:
    return [
        f
        for f in instance._meta.fields
        if isinstance(f, models.ForeignKey) and not f.generated and not f.remote_field.parent_link
    ]


def _missing_rows(
    instance: models.Model, keys: list[tuple[models.ForeignKey, Any]]
) -> Iterable[tuple[models.ForeignKey, Any]]:
    """The keys whose row may not be there, asked of each database in one query. A key with
    `limit_choices_to`, or to a model whose base manager filters, is left to Django's own
    question (the project has none; the SQL here is only the plain row's)."""
    by_database: dict[str, list[tuple[models.ForeignKey, Any]]] = {}
    for field, value in keys:
        remote = field.remote_field.model
        if field.get_limit_choices_to() or remote._meta.base_manager_name:
            yield field, value
            continue
        using = router.db_for_read(remote, instance=instance)
        by_database.setdefault(using, []).append((field, value))
    for using, asked in by_database.items():
        connection = connections[using]
        quote = connection.ops.quote_name
        selects, params = [], []
        for field, value in asked:
            target = field.target_field
            table, column = target.model._meta.db_table, target.column
            assert column is not None  # a key's target is a concrete column
            selects.append(f"EXISTS(SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)")
            params.append(target.get_db_prep_value(value, connection))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(selects)}", params)
            found = cursor.fetchone()
        yield from (key for key, there in zip(asked, found, strict=True) if not there)


def _holding(
    instance: models.Model,
    constraints: list[CheckConstraint],
    exclude: set[str],
    using: str,
) -> set[int]:
    """The ids of the check constraints that hold for the instance's values, asked in one
    query: each condition as `Q.check` writes it (NULL passes), on the values that
    `CheckConstraint.validate` gives it. A constraint that reads an excluded field is not asked
    (Django skips it too)."""
    if not constraints:
        return set()
    query = Query(None)
    # the values as CheckConstraint.validate gives them (private API, as Django's own call)
    against = instance._get_field_expression_map(  # type: ignore[attr-defined]
        meta=instance._meta, exclude=exclude
    )
    read = {
        ref[0]
        for c in constraints
        for ref in instance._get_expr_references(c.condition)  # type: ignore[attr-defined]
    }
    for name, value in against.items():
        if name in read:  # Django adds every field; the conditions read only these
            query.add_annotation(value, name, select=False)
    connection = connections[using]
    asked: list[CheckConstraint] = []
    for constraint in constraints:
        condition: Q | Coalesce = Q(constraint.condition)
        if connection.features.supports_comparing_boolean_expr:
            condition = Coalesce(condition, Value(True), output_field=BooleanField())
        try:
            query.add_annotation(condition, f"check_{len(asked)}")
        except FieldError:  # reads an excluded field: not validated, as in Django
            continue
        asked.append(constraint)
    if not asked:
        return set()
    in_savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with in_savepoint:
            answers = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:  # each constraint asked again on its own, as Django does
        return set()
    return {id(c) for c, holds in zip(asked, answers, strict=True) if holds}
