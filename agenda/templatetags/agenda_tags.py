"""The buttons of the planned services in a row of «Мой день»:
`{% load agenda_tags %}{% my_day_planned child %}`.

A page holds about a hundred of them, each with a dozen values (name, duration, counts, two
addresses, the CSRF field): written by the template they were half of the page's time, so they
are written here, every text escaped as the template escapes it (`django.utils.html.escape` is
`html.escape`; numbers need none)."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe

from services.selectors import ChildDay, PlannedToday

register = template.Library()


def _planned(p: PlannedToday, child_pk: int, urls: dict[str, Any], csrf: str) -> str:
    service = p.service
    name, code = escape(service.display_name), escape(service.code)
    counts = f'<span class="small">{p.done_in_span}/{p.needed_in_span}</span>'
    of = f"{escape(p.span_label)}: {p.done_in_span} из {p.needed_in_span}"
    if p.is_group:
        href = f"{escape(urls['log_group'])}?service={service.pk}&amp;next={escape(urls['my_day'])}"
        return (
            f'      <a class="btn btn-sm btn-outline-primary" href="{href}" title="{name}">'
            f'{code} {counts}<span class="visually-hidden">: групповое занятие, {name}; {of}'
            "</span></a>\n"
        )
    log_line = urls["log_line"]
    action = escape(f"{log_line['head']}{p.line.pk}{log_line['tail']}")
    kind = "btn-outline-secondary" if p.is_done else "btn-success"
    return (
        f'      <form method="post" action="{action}" hx-post="{action}"'
        f' hx-target="#child-{child_pk}" hx-swap="outerHTML">\n'
        f"        {csrf}\n"
        f'        <button type="submit" class="btn btn-sm {kind}"'
        f' title="{name}, {service.default_minutes} мин">Отметить {code} {counts}'
        f'<span class="visually-hidden">: {name}; {of}</span></button>\n'
        "      </form>\n"
    )


@register.simple_tag(takes_context=True)
def my_day_planned(context: Any, child: ChildDay) -> SafeString:
    """The child's planned services, each a one-click mark (a group one links to the group
    session's form), as `agenda/includes/my_day_child.html` wrote them."""
    urls = context["urls"]
    csrf = CsrfTokenNode().render(context)  # the field `{% csrf_token %}` writes, once
    pk = child.recipient.pk
    return mark_safe("".join(_planned(p, pk, urls, csrf) for p in child.planned))
