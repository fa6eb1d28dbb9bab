"""`{% load rehab_tags %}{% term due done late %}`: a term of O15, O16, O19 — its due date, the
date it was met, flagged when late. A tag rather than an included template: the register
shows three terms on each of its rows."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from organisation.templatetags.srcn import calendar_note, ru_date

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
