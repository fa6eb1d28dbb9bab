"""`{% load rehab_tags %}{% term due done late %}`: a term of O15, O16, O19 — its due date, the
date it was met, flagged when late; `{% register_rows rows %}`: the rows of the register.
Tags rather than included templates: the register shows three terms on each of its rows."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from organisation.templatetags.srcn import calendar_note, ru_date
from rehab_programs.selectors import RegisterRow

register = template.Library()


@register.simple_tag
def term(due: date | None, done: date | None = None, late: bool = False) -> SafeString:
    if not due:
        return mark_safe("—")
    html = format_html(
        "<span{}>до {}</span>{}",
        mark_safe(' class="text-danger fw-bold" data-testid="late"') if late else "",
        ru_date(due),
        calendar_note(due),
    )
    if done:
        html += format_html(' · <span class="text-success">выполнено {}</span>', ru_date(done))
    if late:
        html += format_html(
            ' <span class="badge text-bg-danger">{}</span>',
            "с опозданием" if done else "просрочено",
        )
    return mark_safe(html)


@register.simple_tag
def register_rows(rows: list[RegisterRow]) -> SafeString:
    """The rows of «Программы (ИПСРН)»: the minor, the department, the first day of stay and
    the three terms. Built here rather than by the template: a page has fifty of them."""
    html = []
    for s in rows:
        r = s.recipient
        programme = ""
        if s.programme_id:
            programme = format_html(
                '<a href="{}">от {}</a>{}<br>',
                s.programme_url,
                ru_date(s.programme_on),
                ""
                if s.programme_in_force
                else mark_safe(' <span class="badge text-bg-warning">ждёт консилиума</span>'),
            )
        html.append(
            format_html(
                '<tr data-testid="row-{}">\n    <td><a href="{}">{}</a></td>\n    <td>{}</td>\n'
                "    <td>{}</td>\n    <td>{}</td>\n    <td>{}{}</td>\n    <td>{}</td>\n  </tr>\n",
                r.pk,
                s.recipient_url,
                r.full_name,
                r.department,
                ru_date(r.first_day_of_stay),
                term(s.primary_due, s.primary_on, s.primary_late),
                programme,
                term(s.programme_due, s.programme_on, s.programme_late),
                term(s.revision_due, None, s.revision_late) if s.revision_due else "—",
            )
        )
    return mark_safe("".join(html))
