from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseFormSet

from organisation.text import plural as _plural

register = template.Library()


@register.filter
def plural(n: int, forms: str) -> str:
    """{{ n|plural:"день,дня,дней" }} -> «5 дней»."""
    one, few, many = (f.strip() for f in forms.split(","))
    return f"{n} {_plural(n, one, few, many)}"


@register.filter
def ru_date(d: date | None) -> str:
    """дд.мм.гггг, or an em dash for no date."""
    return d.strftime("%d.%m.%Y") if d else "—"


@register.filter
def calendar_note(d: date | None) -> str:
    """A deadline in a year whose production calendar is not confirmed says so."""
    from django.utils.html import format_html

    from organisation.calendar import unconfirmed_note

    note = unconfirmed_note(d)
    return (
        format_html(
            ' <span class="text-warning small" data-testid="calendar-note">({})</span>', note
        )
        if note
        else ""
    )


# The badge of each deadline state: its colour here, its words from `State`'s labels.
_BADGE_CLASS = {
    "overdue": "text-bg-danger",
    "due_soon": "text-bg-warning",
    "done_late": "text-bg-secondary",
    "done": "text-bg-success",
    "on_time": "text-bg-light border",
}


@register.filter
def deadline_badge(state: str) -> str:
    """{{ state|deadline_badge }}: «просрочено» in red, «в срок» in grey, … for a `State`."""
    from django.utils.html import format_html

    from organisation.deadlines import State

    try:
        state = State(state)
    except ValueError:
        state = State.ON_TIME
    return format_html('<span class="badge {}">{}</span>', _BADGE_CLASS[state], state.label)


@register.filter
def is_overdue(state: str) -> bool:
    """True for the overdue state, so that templates compare no raw values."""
    from organisation.deadlines import State

    return state == State.OVERDUE


def _forms_of(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if item is None:
            continue
        if isinstance(item, BaseFormSet):
            yield from item.forms
        elif isinstance(item, (list, tuple)):
            yield from _forms_of(item)
        else:
            yield item


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms: Any) -> dict[str, Any]:
    """{% error_summary form other_form formset %}: every error of a long form at its top, each
    linking to its field, so that none is missed below the screen's edge."""
    errors: list[dict[str, str]] = []
    for form in _forms_of(forms):
        if not getattr(form, "is_bound", False) or not form.errors:
            continue
        for name, messages in form.errors.items():
            if name == NON_FIELD_ERRORS:
                errors += [{"label": "", "message": m, "anchor": ""} for m in messages]
                continue
            if name not in form.fields:
                continue
            field = form[name]
            anchor = field.auto_id or ""
            widget = form.fields[name].widget
            if getattr(widget, "allow_multiple_selected", False) or getattr(
                widget, "input_type", ""
            ) in ("checkbox", "radio"):
                anchor = f"div_{anchor}" if anchor else ""
            errors += [
                {"label": str(field.label), "message": m, "anchor": anchor} for m in messages
            ]
    return {"errors": errors}
