"""`{% load rehab_tags %}{% term due done late %}`: a term of O15, O16, O19 — its due date, the
date it was met, flagged when late; `{% register_rows rows %}`: the rows of the register.
Tags rather than included templates: the register shows three terms on each of its rows."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from organisation.templatetags.srcn import calendar_note, ru_date
from rehab_programs.selectors import RegisterRow

register = template.Library()


@register.simple_tag
def term(due: date | None, done: date | None = None, late: bool = False) -> SafeString:
    """Dates and fixed words only: nothing here to escape."""
    if not due:
        return mark_safe("—")
    flag = ' class="text-danger fw-bold" data-testid="late"' if late else ""
    html = f"<span{flag}>до {ru_date(due)}</span>{calendar_note(due)}"
    if done:
        html += f' · <span class="text-success">выполнено {ru_date(done)}</span>'
    if late:
        html += (
            f' <span class="badge text-bg-danger">{"с опозданием" if done else "просрочено"}</span>'
        )
    return mark_safe(html)


@register.simple_tag
def register_rows(rows: list[RegisterRow]) -> SafeString:
    """The rows of «Программы (ИПСРН)»: the minor, the department, the first day of stay and
    the three terms. Built here rather than by the template: a page has fifty of them. The
    names are escaped; the rest are dates, numbers and the terms above."""
    html = []
    for s in rows:
        r = s.recipient
        programme = ""
        if s.programme_id:
            waits = (
                ""
                if s.programme_in_force
                else ' <span class="badge text-bg-warning">ждёт консилиума</span>'
            )
            programme = (
                f'<a href="{escape(s.programme_url)}">от {ru_date(s.programme_on)}</a>{waits}<br>'
            )
        revision = term(s.revision_due, None, s.revision_late) if s.revision_due else "—"
        html.append(
            f'<tr data-testid="row-{r.pk}">\n'
            f'    <td><a href="{escape(s.recipient_url)}">{escape(r.full_name)}</a></td>\n'
            f"    <td>{escape(r.department)}</td>\n"
            f"    <td>{ru_date(r.first_day_of_stay)}</td>\n"
            f"    <td>{term(s.primary_due, s.primary_on, s.primary_late)}</td>\n"
            f"    <td>{programme}{term(s.programme_due, s.programme_on, s.programme_late)}</td>\n"
            f"    <td>{revision}</td>\n"
            "  </tr>\n"
        )
    return mark_safe("".join(html))
