"""A row of «Мой день» (`{% load agenda_tags %}{% my_day_row child %}`), with the buttons of its
planned services.

A page holds twenty rows with about a hundred buttons, each with a dozen values (name,
duration, counts, two addresses, the CSRF field): written by template tags and includes they
were most of the page's time, so the row is written here, every text escaped as the template
escapes it (`django.utils.html.escape` is `html.escape`; numbers need none). The page's list
and the row re-rendered after a mark (`agenda/includes/my_day_child.html`) both use it."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from organisation.text import ru_date, with_plural
from services.selectors import PlannedToday

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


def _href(urls: dict[str, Any], name: str, pk: int) -> str:
    return escape(f"{urls[name]['head']}{pk}{urls[name]['tail']}")


def _activity(a: Any, child_pk: int, urls: dict[str, Any], csrf: str, every: bool) -> str:
    activity, service = a.activity, a.service
    title = escape(activity.title)
    late = ", просрочено" if a.overdue else ""
    tone = "text-danger fw-semibold" if a.overdue else "text-muted"
    html = (
        '      <li class="d-flex flex-wrap align-items-center gap-1 mt-1"'
        ' data-testid="my-day-activity">\n'
        '        <span class="badge text-bg-info">ИПСРН</span>\n'
        f'        <a href="{_href(urls, "programme", activity.programme_id)}">'
        f"{escape(Truncator(activity.title).chars(90))}</a>\n"
        f'        <span class="{tone}">до {ru_date(activity.due_on)}{late}</span>\n'
    )
    if every:
        html += (
            f'        <span class="text-muted">· {escape(activity.responsible.short_name)}</span>\n'
        )
    if service is not None:
        code = escape(service.code)
        if a.is_group:
            href = (
                f"{escape(urls['log_group'])}?service={service.pk}"
                f"&amp;next={escape(urls['my_day'])}"
            )
            html += (
                f'          <a class="btn btn-sm btn-outline-primary py-0" href="{href}">'
                f'Групповое {code}<span class="visually-hidden">: {title}</span></a>\n'
            )
        else:
            action = _href(urls, "log_activity", activity.pk)
            html += (
                f'          <form method="post" action="{action}" hx-post="{action}"'
                f' hx-target="#child-{child_pk}" hx-swap="outerHTML">\n'
                f"            {csrf}\n"
                '            <button type="submit" class="btn btn-sm btn-outline-success py-0"'
                f' title="{escape(service.display_name)}, {service.default_minutes} мин"'
                f' data-testid="mark-activity">отметить {code}<span class="visually-hidden">:'
                f" мероприятие ИПСРН «{title}»</span></button>\n"
                "          </form>\n"
            )
    return html + "      </li>\n"


def _record(r: Any, child_pk: int, urls: dict[str, Any], csrf: str, context: Any) -> str:
    code = escape(r.service.code)
    at = f" {r.start_time.hour:02d}:{r.start_time.minute:02d}" if r.start_time else ""
    html = (
        '    <span class="d-inline-flex align-items-center gap-1 me-1">\n'
        f'      <a href="{_href(urls, "record", r.pk)}" class="badge text-bg-light border">'
        f"{code}{at}</a>\n"
    )
    if (
        r.created_by_id == context["user"].pk
        and not r.source
        and r.created_at >= context["undo_since"]
    ):
        action = _href(urls, "undo", r.pk)
        html += (
            f'      <form method="post" action="{action}" hx-post="{action}"'
            f' hx-target="#child-{child_pk}" hx-swap="outerHTML">\n'
            f"        {csrf}\n"
            '        <button type="submit" class="btn btn-link btn-sm p-0" data-testid="undo">'
            f'отменить<span class="visually-hidden"> отметку {code}</span></button>\n'
            "      </form>\n"
        )
    return html + "    </span>\n"


@register.simple_tag(takes_context=True)
def my_day_row(context: Any, child: Any) -> SafeString:
    """The child's row of «Мой день» (a `DayRow`): the name and age, the planned services (each
    a one-click mark; a group one links to the group session's form), the ИПСРН's activities
    and today's records with their undo, and the row's `error`, if any."""
    urls = context["urls"]
    csrf = CsrfTokenNode().render(context)
    recipient = child.recipient
    pk = recipient.pk
    recipient_href = _href(urls, "recipient", pk)
    age = with_plural(recipient.age, "год", "года", "лет")
    parts = [
        f'<tr id="child-{pk}" data-testid="child-card">\n'
        '  <th scope="row" class="fw-normal">\n'
        f'    <a href="{recipient_href}" class="fw-semibold">{escape(recipient.short_name)}</a>\n'
        f'    <span class="text-muted small d-block">{age}'
        "</span>\n  </th>\n  <td>\n"
    ]
    error = context.get("error")
    if error:
        parts.append(
            f'    <div class="alert alert-danger py-1 px-2 small mb-1" role="alert">'
            f"{escape(str(error))}</div>\n"
        )
    parts.append('    <div class="d-flex flex-wrap gap-1">\n')
    parts.extend(_planned(p, pk, urls, csrf) for p in child.planned)
    if not child.planned and not child.activities:
        parts.append(
            '    <span class="small text-muted">Нет услуг по программе.'
            f' <a href="{recipient_href}">ИППСУ</a></span>\n'
        )
    parts.append("    </div>\n")
    if child.activities:
        every = not context.get("subject")
        parts.append(
            '    <ul class="list-unstyled small mb-0 mt-1" data-testid="my-day-activities"'
            ' aria-label="Мероприятия ИПСРН">\n'
        )
        parts.extend(_activity(a, pk, urls, csrf, every) for a in child.activities)
        parts.append("    </ul>\n")
    parts.append('  </td>\n  <td class="small">\n')
    if child.records:
        parts.extend(_record(r, pk, urls, csrf, context) for r in child.records)
    else:
        parts.append('<span class="text-muted">—</span>\n')
    parts.append("  </td>\n</tr>")
    return mark_safe("".join(parts))
