"""The body of «Сроки по центру», written by the `deadline_summary_rows` tag: per kind its
counts by state (each a link to the filtered list, the overdue ones in red) and its earliest
overdue items, every text escaped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template import Context, Template

from organisation.deadlines import DeadlineItem, State


@dataclass(frozen=True)
class _Kind:
    code: str = "appeal_registration"
    label: str = "Регистрация <обращения>"
    rules: str = "P2, P3"


def _render(summary) -> str:
    template = Template("{% load srcn %}{% deadline_summary_rows summary states %}")
    return template.render(Context({"summary": summary, "states": list(State)}))


def _row(overdue, overdue_count, counts):
    return {"kind": _Kind(), "counts": counts, "overdue": overdue, "overdue_count": overdue_count}


def test_counts_link_to_their_list_and_overdue_ones_are_red():
    counts = dict.fromkeys(State, 0) | {State.OVERDUE: 12, State.DONE: 3}
    html = _render([_row([], 12, counts)])
    assert "Регистрация &lt;обращения&gt; <span" in html
    assert "(P2, P3)" in html
    overdue = (
        '<td class="text-center text-danger fw-bold"><a class="text-reset" '
        'href="?kind=appeal_registration&amp;state=overdue">12</a></td>'
    )
    assert overdue in html
    done = '<a class="text-reset" href="?kind=appeal_registration&amp;state=done">3</a>'
    assert f'<td class="text-center">{done}</td>' in html
    assert html.count('<td class="text-center">0</td>') == len(State) - 2
    assert "Просрочено всего 12; показаны первые 0, самые ранние." in html


def test_overdue_items_are_listed_with_their_date_link_and_person_escaped():
    kind = _Kind()
    item = DeadlineItem(
        kind=kind,  # type: ignore[arg-type]
        key="appeal:1",
        title="Обращение от 02.11.2026: <script>",
        due=date(2026, 11, 5),
        url="/patronage/appeals/1/?a=1&b=2",
        responsible_id=7,
        department_id=None,
        responsible_name="Воронина Е. П.",
    )
    counts = dict.fromkeys(State, 0) | {State.OVERDUE: 1}
    html = _render([_row([item], 1, counts)])
    assert (
        '<td colspan="6" class="ps-4">05.11.2026 — '
        '<a href="/patronage/appeals/1/?a=1&amp;b=2">Обращение от 02.11.2026: &lt;script&gt;</a>'
        " · Воронина Е. П.</td>"
    ) in html
    assert "Просрочено всего" not in html  # every overdue item is shown
