"""Every figure links to the list of the records it counts: following the link shows as many
records as the figure says (the hand-counted fixture of test_statistics)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from patronage.models import AppealGround
from reports.stats import statistics
from reports.stats.selectors import Scope
from tests.conftest import login
from tests.reports.test_dashboards import _appeal
from tests.reports.test_statistics import PERIOD, centre  # noqa: F401 — the fixture


def _cells(report: statistics.Report) -> dict[str, list[statistics.Cell]]:
    return {
        f"{t.title}|{r.label}": r.cells
        for sec in report.sections
        for t in sec.tables
        for r in t.rows
    }


def _count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


@pytest.mark.parametrize("who", ["director", "head"])
def test_service_figures_link_to_the_journal_records_they_count(client, centre, who, request):  # noqa: F811
    user = request.getfixturevalue(who)
    login(client, user)
    scope = Scope(user, user.department_id)
    cells = _cells(statistics.build(scope, PERIOD))
    for key, cell in cells.items():
        if key.startswith("По видам социальных услуг") and "Итого" not in key:
            assert _count(client, cell[0].url) == cell[0].value, key
        if key.startswith("По каждой услуге"):
            assert _count(client, cell[0].url) == cell[0].value, key


def test_director_department_figures_link_within_the_department(client, centre, director, dept_b):  # noqa: F811
    login(client, director)
    cells = _cells(statistics.build(Scope(director, dept_b.pk), PERIOD))
    cell = cells["По видам социальных услуг (п. 2.1 Порядка)|Социально-педагогические"][0]
    assert cell.value == 1
    assert _count(client, cell.url) == 1


def test_appeal_figures_link_to_the_appeals_P1_P5(client, dept_a, director):
    _appeal(dept_a, date(2025, 12, 15), date(2025, 12, 16), 1)
    _appeal(dept_a, date(2025, 12, 22), date(2025, 12, 29), 2)  # due 25.12: late
    _appeal(dept_a, date(2025, 12, 1), date(2025, 12, 10), 3)  # late, but before the period
    login(client, director)
    cells = _cells(statistics.build(Scope(director), PERIOD))
    personal = cells[f"Обращения по основаниям|{AppealGround.PERSONAL.label}"][0]
    assert personal.value == 2
    assert _count(client, personal.url) == 2
    late = cells["Обращения по журналам|Зарегистрировано с нарушением срока"][0]
    assert late.value == 1
    assert _count(client, late.url) == 1


def test_families_under_patronage_link_to_the_cases_of_the_period(client, dept_a, dept_b, director):
    from tests.factories import FamilyFactory
    from tests.patronage.factories import CaseFactory

    CaseFactory(family=FamilyFactory(department=dept_a), opened_on=date(2025, 11, 1))  # open
    CaseFactory(  # closed within the period
        family=FamilyFactory(department=dept_a),
        opened_on=date(2025, 10, 1),
        closed_on=date(2025, 12, 20),
    )
    CaseFactory(  # closed before it
        family=FamilyFactory(department=dept_a),
        opened_on=date(2025, 10, 1),
        closed_on=date(2025, 12, 1),
    )
    CaseFactory(family=FamilyFactory(department=dept_b), opened_on=date(2026, 1, 20))  # after
    login(client, director)
    cells = _cells(statistics.build(Scope(director), PERIOD))
    families = cells["Социальный патронаж|Семей под патронажем в периоде"][0]
    assert families.value == 2
    assert _count(client, families.url) == 2


@pytest.mark.parametrize("who", ["director", "head"])
def test_recipient_figures_link_to_the_register_O26(client, centre, who, request):  # noqa: F811
    user = request.getfixturevalue(who)
    login(client, user)
    cells = _cells(statistics.build(Scope(user, user.department_id), PERIOD))
    checked = 0
    for key, row in cells.items():
        for cell in row:
            if cell.url.startswith("/recipients/?") and "Человеко-дни" not in key:
                assert _count(client, cell.url) == cell.value, key
                checked += 1
    assert checked >= 15  # served, the age–sex table, the circumstances


def test_consilium_figures_link_to_the_meetings_of_the_period_O14(client, centre, director):  # noqa: F811
    login(client, director)
    cells = _cells(statistics.build(Scope(director), PERIOD))
    meetings = cells["Реабилитация|Заседаний ПМП консилиума"][0]
    assert meetings.value == 1
    assert _count(client, meetings.url) == 1
    assert _count(client, meetings.url.replace("15.12.2025", "19.12.2025")) == 0


def test_admission_and_discharge_figures_link_to_the_orders_O12_O23(client, centre, director):  # noqa: F811
    login(client, director)
    cells = _cells(statistics.build(Scope(director), PERIOD))
    for key in (
        "Получатели социальных услуг|Зачислено",
        "Получатели социальных услуг|Снято с обслуживания",
    ):
        cell = cells[key][0]
        assert cell.value == 1
        assert _count(client, cell.url) == 1, key
    refusal = cells[
        "Снятие с обслуживания по основаниям (п. 3.5 Порядка)|"
        "письменное заявление родителя (законного представителя) об отказе"
    ][0]
    assert refusal.value == 1
    assert _count(client, refusal.url) == 1
    breach = cells[
        "Снятие с обслуживания по основаниям (п. 3.5 Порядка)|нарушение условий договора"
    ][0]
    assert (breach.value, _count(client, breach.url)) == (0, 0)


@pytest.fixture
def visits(dept_a, dept_b):
    """Visits around PERIOD (15.12.2025–15.01.2026): two completed in it in dept A (a primary
    one with a housing act, a recommendation and an «effective» assessment; a planned one with a
    patronage act that checks the recommendation as fulfilled), one completed before it, one
    planned whose date has passed, and a completed primary one in dept B."""
    from patronage.models import (
        ActKind,
        Effectiveness,
        Recommendation,
        RecommendationCheck,
        RecommendationStatus,
        VisitAct,
        VisitKind,
        VisitStatus,
    )
    from tests.factories import FamilyFactory, UserFactory
    from tests.patronage.factories import CaseFactory, VisitFactory

    staff = {d.pk: UserFactory(department=d) for d in (dept_a, dept_b)}
    case = CaseFactory(family=FamilyFactory(department=dept_a), opened_on=date(2025, 11, 1))

    def done(on, kind, case=case, **kw):
        return VisitFactory(
            case=case,
            kind=kind,
            planned_on=on,
            visited_on=on,
            status=VisitStatus.COMPLETED,
            specialist=staff[case.family.department_id],
            purpose="контроль выполнения рекомендаций",
            **kw,
        )

    first = done(date(2025, 12, 20), VisitKind.PRIMARY, effectiveness=Effectiveness.EFFECTIVE)
    VisitAct.objects.create(visit=first, kind=ActKind.HOUSING)
    rec = Recommendation.objects.create(case=case, visit=first, text="Оформить пособие.")
    second = done(date(2026, 1, 10), VisitKind.PLANNED)
    VisitAct.objects.create(visit=second, kind=ActKind.PATRONAGE)
    RecommendationCheck.objects.create(
        recommendation=rec, visit=second, outcome=RecommendationStatus.FULFILLED
    )
    done(date(2025, 12, 1), VisitKind.PRIMARY)  # before the period
    VisitFactory(  # planned, the date passed
        case=case,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 1, 5),
        specialist=staff[dept_a.pk],
        purpose="контроль выполнения рекомендаций",
    )
    other = CaseFactory(family=FamilyFactory(department=dept_b), opened_on=date(2025, 12, 1))
    done(date(2025, 12, 16), VisitKind.PRIMARY, case=other)


@pytest.mark.parametrize("who", ["director", "head"])
def test_visit_act_and_recommendation_figures_link_to_the_visits_P7_P9_P10(
    client, visits, who, request
):
    """Not to the cases: each figure of visits, acts, recommendations and assessments opens
    «Посещения» filtered to the visits it counts (a head: the department's only)."""
    user = request.getfixturevalue(who)
    login(client, user)
    cells = _cells(statistics.build(Scope(user, user.department_id), PERIOD))
    expected = {
        "Первичных посещений": 2 if who == "director" else 1,
        "Повторных (плановых) посещений": 1,
        "Акт обследования жилищно-бытовых условий": 1,
        "Акт социального патронажа": 1,
        "Дано рекомендаций": 1,
        "Рекомендаций проверено: выполнена": 1,
        # One colon in a label: «Оценка эффективности — эффективна: положительная динамика».
        "Оценка эффективности — эффективна: положительная динамика": 1,
    }
    checked = 0
    for key, row in cells.items():
        table, label = key.split("|")
        if table != "Социальный патронаж" or label == "Семей под патронажем в периоде":
            continue
        cell = row[0]
        assert cell.url.startswith("/patronage/visits/?"), key
        assert _count(client, cell.url) == cell.value, key
        if label in expected:
            assert cell.value == expected[label], key
            checked += 1
    assert checked == len(expected)


def test_dashboard_visit_figures_link_to_the_visits(client, visits, head):
    """The dashboard's planned and overdue visits open «Посещения» with the same count."""
    from reports.stats import dashboards

    login(client, head)
    context = dashboards.build(head, today=date(2026, 1, 12))
    links = context["load_links"]
    assert _count(client, links["planned"]) == context["load"]["planned"] == 1
    assert _count(client, links["overdue"]) == context["load"]["overdue"]
    assert "/patronage/visits/" in links["visits"]


def test_visit_list_refuses_a_reversed_period_next_to_the_field(client, visits, head):
    login(client, head)
    response = client.get("/patronage/visits/?date_from=10.01.2026&date_to=01.01.2026")
    assert response.status_code == 200
    assert "Конец периода раньше его начала." in response.content.decode()
    assert 'value="10.01.2026"' in response.content.decode()


def test_programme_figure_links_to_the_programmes_of_the_period_O16(client, centre, director):  # noqa: F811
    """«Составлено ИПСРН» opens the ИПСРН list for the period: the minors whose programme was
    drawn up in it, discharged ones too."""
    login(client, director)
    cells = _cells(statistics.build(Scope(director), PERIOD))
    cell = cells["Реабилитация|Составлено ИПСРН"][0]
    assert cell.url.startswith("/rehab/?")
    assert _count(client, cell.url) == cell.value


@pytest.mark.parametrize("who", ["director", "head"])
def test_every_link_of_the_start_page_opens_for_its_role(client, dept_a, who, request):
    """The dashboard linked «Проверка записи о патронаже» for the director, who does not review
    patronage records (P13): the link answered 403. A rule's list is linked only for a role
    that may open it; every other link of the page opens."""
    user = request.getfixturevalue(who)
    page = login(client, user).get("/").content.decode()
    hrefs = set(re.findall(r'href="(/[^"#]*)"', page)) - {"/"}
    assert any("/patronage/" in h for h in hrefs)
    for href in sorted(hrefs):
        if href.startswith("/static/"):
            continue
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href
    assert ("Проверка записи о патронаже</a>" in page) == (who == "head")
