"""The «Мой день» widget of the specialist's start page:
`{% load services_tags %}{% my_day_summary %}`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from recipients.models import Recipient
from services import selectors

register = template.Library()


@register.inclusion_tag("services/includes/my_day_summary.html", takes_context=True)
def my_day_summary(context: dict[str, Any]) -> dict[str, Any]:
    """Today's children of the user's department and how many of the services this specialist
    gives are still open: counted by the database over the whole scope (no row per child),
    scoped like every list."""
    user = context["request"].user
    today = timezone.localdate()
    counts = selectors.my_day_counts(
        Recipient.objects.visible_to(user).filter(archived_at__isnull=True),
        today,
        selectors.services_given_by(user),
    )
    return {
        "children": counts.children,
        "open": counts.open,
        "logged": counts.logged,
        "perms": context.get("perms"),
    }


@register.inclusion_tag("services/includes/compliance_summary.html", takes_context=True)
def compliance_summary(context: dict[str, Any]) -> dict[str, Any]:
    """For the head's start page: children of the department with shortfalls this month
    (O18), counted over the days, weeks and months already over. Kept as long as the
    dashboard's figures beside it (per department and day); «Обновить» recounts both."""
    request = context["request"]
    user = request.user
    today = timezone.localdate()
    key = f"services:compliance_summary:{user.role}:{user.department_id}:{today:%Y%m%d}"
    summary = None if request.GET.get("refresh") else cache.get(key)
    if summary is None:
        summary = _compliance_summary(user, today)
        cache.set(key, summary, settings.START_PAGE_CACHE_SECONDS)
    return summary


def _compliance_summary(user: Any, today: date) -> dict[str, int]:
    rows = selectors.compliance(
        Recipient.objects.visible_to(user).filter(archived_at__isnull=True),
        today.replace(day=1),
        today,
        today,
        counts_only=True,
    )
    short = [r for r in rows if r.shortfalls]
    return {
        "children": len(rows),
        "short": len(short),
        "missing": sum(c.shortfall for r in short for _, c in r.shortfalls),
    }


def _truncate(text: str, length: int) -> str:
    """`truncatechars` for the catalogue's names (no combining characters in them)."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


@register.simple_tag
def shortfall_rows(children: list[tuple[selectors.RecipientCompliance, str]]) -> SafeString:
    """The rows of «Недовыполнено» (`services/compliance.html`): each span of a norm that fell
    short, under its child and its programme line (cells spanning their rows). Built here
    rather than in the template: a page of children has hundreds of such spans. Names and
    links are escaped; the figures and the spans' dates are digits."""
    names: dict[int, str] = {}  # each service's and each norm's cell once
    norms: dict[tuple[int, str], str] = {}
    labels: dict[tuple[Any, Any], str] = {}  # the children of a page share their weeks
    html = []
    for row, url in children:
        shortfalls = row.shortfalls
        if not shortfalls:
            continue
        child_cell = (
            f'<td rowspan="{len(shortfalls)}"><a href="{escape(url)}">'
            f"{escape(row.recipient.short_name)}</a></td>"
        )
        for lc in row.lines:
            spans = lc.shortfalls
            if not spans:
                continue
            line = lc.line
            if line.service_id not in names:
                names[line.service_id] = escape(
                    f"{line.service.code} {_truncate(line.service.display_name, 50)}"
                )
            if (line.count, line.per) not in norms:
                norms[(line.count, line.per)] = escape(line.frequency_text)
            line_cells = (
                f'<td rowspan="{len(spans)}">{names[line.service_id]}</td>'
                f'<td rowspan="{len(spans)}">{norms[(line.count, line.per)]}</td>'
            )
            for check in spans:
                label = labels.get((check.start, check.end))
                if label is None:
                    label = labels[(check.start, check.end)] = check.label
                html.append(
                    f"<tr>{child_cell}{line_cells}<td>{label}</td><td>{check.planned}</td>"
                    f'<td>{check.delivered}</td><td class="text-danger fw-semibold">'
                    f"{check.shortfall}</td></tr>\n"
                )
                child_cell = line_cells = ""
    return mark_safe("".join(html))  # every text above is escaped


@register.simple_tag
def compliance_children(children: list[tuple[selectors.RecipientCompliance, str]]) -> SafeString:
    """The rows of «По детям» (`services/compliance.html`): each child of the page with the
    sums of its lines. Names and links are escaped; the rest are numbers."""
    if not children:
        return mark_safe(
            '<tr><td colspan="4" class="text-muted">Нет детей в обслуживании за период.</td></tr>'
        )
    return mark_safe(
        "".join(
            f'<tr><td><a href="{escape(url)}">{escape(row.recipient.full_name)}</a></td>'
            f"<td>{row.planned}</td><td>{row.delivered}</td><td>{len(row.shortfalls)}</td></tr>\n"
            for row, url in children
        )
    )
