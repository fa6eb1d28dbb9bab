"""Sane dates: one rule per kind of date, used on the model fields (so forms, actions, the
admin and imports share it) and by the few forms that are not model forms.

- `PastEvent`: something the centre did or received — not before the year it opened
  (`CENTRE_OPENING_YEAR`) and not in the future.
- `PlannedEvent`: a plan or a term — not before the opening year and at most
  `PLAN_HORIZON_YEARS` ahead.
- `ChildBirthDate`: a recipient's birth date — not in the future, and a person who could have
  been a minor while the centre was open (the age on a given day is checked where it matters,
  e.g. at enrolment, 0–18 years).
- `AdultBirthDate`: a representative's or an employee's birth date — not in the future and at
  most 120 years ago.
- `term_errors`: a term that ends before it starts, for a model's `clean()`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.deconstruct import deconstructible

PLAN_HORIZON_YEARS = 5
OLDEST_PERSON_YEARS = 120
ADULT_AGE = 18


def opening_day() -> date:
    """The first day a record of the centre may carry."""
    return date(settings.CENTRE_OPENING_YEAR, 1, 1)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class _DateRule:
    """A rule with the field's own word for the date in its messages («Дата заверения …»)."""

    def __init__(self, what: str = "Дата") -> None:
        self.what = what

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.what == other.what  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.what))

    def _not_before_opening(self, value: date) -> None:
        first = opening_day()
        if value < first:
            raise ValidationError(
                f"{self.what} раньше открытия центра ({first.year} г.): проверьте год.",
                code="before_opening",
            )


class PastEvent(_DateRule):
    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError(f"{self.what} не может быть в будущем.", code="future")
        self._not_before_opening(value)


class PlannedEvent(_DateRule):
    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        self._not_before_opening(value)
        horizon = _years_from(timezone.localdate(), PLAN_HORIZON_YEARS)
        if value > horizon:
            raise ValidationError(
                f"{self.what} слишком далеко: не позже {horizon:%d.%m.%Y}.", code="too_far"
            )


class ChildBirthDate(_DateRule):
    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        if value > timezone.localdate():
            raise ValidationError(f"{self.what} не может быть в будущем.", code="future")
        earliest = _years_from(opening_day(), -ADULT_AGE)
        if value < earliest:
            raise ValidationError(
                f"{self.what}: ребёнок не мог быть несовершеннолетним, пока работает центр "
                f"(не раньше {earliest:%d.%m.%Y}).",
                code="too_old",
            )


class AdultBirthDate(_DateRule):
    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        today = timezone.localdate()
        if value > today:
            raise ValidationError(f"{self.what} не может быть в будущем.", code="future")
        if value < _years_from(today, -OLDEST_PERSON_YEARS):
            raise ValidationError(f"{self.what}: проверьте год.", code="too_old")


def term_errors(
    start: date | None, end: date | None, *, end_field: str, message: str
) -> dict[str, list[str]]:
    """{end_field: [message]} when a term ends before it starts, else {} — for `clean()`."""
    if start is not None and end is not None and end < start:
        return {end_field: [message]}
    return {}


def field_rule(model: type[Model], name: str) -> Callable[[Any], None]:
    """The validators of one model field as one callable, for a form field that is not a
    model form's (`forms.DateField(validators=[field_rule(Appeal, "received_on")])`)."""
    field = model._meta.get_field(name)

    def run(value: Any) -> None:
        field.run_validators(value)  # type: ignore[union-attr]

    return run


def validate_fields(model: type[Model], **values: Any) -> None:
    """Run the rules of `model`'s fields on values an action received (not yet on a record);
    raises one ValidationError keyed by field, like `full_clean`."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None:
            continue
        try:
            model._meta.get_field(name).run_validators(value)  # type: ignore[union-attr]
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
