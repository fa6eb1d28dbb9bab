from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseFormSet, BoundField, Select
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from organisation import text
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
    return text.ru_date(d) if d else "—"


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
    for formset in forms:  # a formset's own errors (its count of forms), before its forms'
        if isinstance(formset, BaseFormSet) and formset.is_bound:
            errors += [
                {"label": "", "message": str(m), "anchor": ""} for m in formset.non_form_errors()
            ]
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


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def select(field: BoundField) -> SafeString:
    """`{{ field }}` of a choice field, the same markup as Django's select widget, written here
    instead of through one template include per option (about a millisecond a filter)."""
    widget = field.field.widget
    assert isinstance(widget, Select)
    assert widget.option_template_name == "django/forms/widgets/select_option.html"
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


@register.simple_tag
def deadline_summary_rows(summary: list[dict[str, Any]], states: list[Any]) -> SafeString:
    """The body of «Сроки по центру» (`organisation/deadlines/centre.html`): per kind, its
    counts by state (each a link to the filtered list; overdue ones in red) and its earliest
    overdue items. Built here rather than in the template: some 90 cells and a row per item.
    Labels, titles, names and links are escaped; the counts are integers."""
    from django.utils.html import escape

    from organisation.deadlines import State

    span = len(states) + 1
    html = []
    for row in summary:
        kind = row["kind"]
        rules = (
            f' <span class="text-muted small">({escape(kind.rules)})</span>' if kind.rules else ""
        )
        cells = []
        for state, n in row["counts"].items():
            red = " text-danger fw-bold" if n and state == State.OVERDUE else ""
            shown = (
                f'<a class="text-reset" href="?kind={escape(kind.code)}&amp;state={escape(state)}">'
                f"{int(n)}</a>"
                if n
                else "0"
            )
            cells.append(f'<td class="text-center{red}">{shown}</td>')
        html.append(f"<tr>\n<td>{escape(kind.label)}{rules}</td>\n{''.join(cells)}\n</tr>\n")
        for item in row["overdue"]:
            who = f" · {escape(item.responsible_name)}" if item.responsible_name else ""
            html.append(
                f'<tr class="small"><td colspan="{span}" class="ps-4">{ru_date(item.due)}'
                f'{calendar_note(item.due)} — <a href="{escape(item.url)}">{escape(item.title)}</a>'
                f"{who}</td></tr>\n"
            )
        shown_overdue = len(row["overdue"])
        if row["overdue_count"] > shown_overdue:
            html.append(
                f'<tr class="small"><td colspan="{span}" class="ps-4 text-muted">Просрочено всего '
                f"{int(row['overdue_count'])}; показаны первые {shown_overdue}, самые ранние."
                "</td></tr>\n"
            )
    return mark_safe("".join(html))  # every text above is escaped
