"""The statistical report for a period: sections of tables whose every figure links to the list
of records it counts. The same structure is rendered on screen, as XLSX and as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, get_urlconf, reverse

from consilium.models import DecisionKind, DischargeGround
from orders.models import OrderKind
from patronage.models import ActKind, AppealGround, Channel, Effectiveness, RecommendationStatus
from recipients.models import SCORE_CRITERIA, Circumstance, QualitySurvey
from recipients.selectors import AGE_BANDS
from rehab_programs.models import Stage
from reports.stats import selectors as s
from reports.stats.periods import Period
from reports.stats.selectors import ORDER_KINDS, Scope
from services.models import CategoryKind

# The list pages figures link to, by what they list (one place to follow a page that moves).
LISTS = {
    "recipients": "recipients:list",
    "orders": "orders:list",
    "journal": "services:journal",
    "appeals": "patronage:appeal_list",
    "cases": "patronage:case_list",
    "visits": "patronage:visit_list",
    "rehab": "rehab_programs:list",
    "consilium": "consilium:list",
    "quality": "recipients:quality_summary",
}


def link(target: str, **params: Any) -> str:
    """The URL of a list page with its filters; None and "" parameters are left out."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    url = _list_url(LISTS[target], get_script_prefix(), get_urlconf())
    return f"{url}?{urlencode(query)}" if query else url


@lru_cache(maxsize=64)
def _list_url(viewname: str, prefix: str, urlconf: str | None) -> str:
    """`reverse(viewname)`, once per prefix and URLconf: a report links some 250 figures."""
    return reverse(viewname, urlconf=urlconf)


@dataclass
class Cell:
    value: Any
    url: str = ""


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    def add(self, label: str, *cells: Cell | Any) -> None:
        self.rows.append(Row(label, [c if isinstance(c, Cell) else Cell(c) for c in cells]))


@dataclass
class Section:
    title: str
    tables: list[Table]


@dataclass
class Report:
    period: Period
    department: Any
    sections: list[Section]


def build(scope: Scope, period: Period, department: Any = None) -> Report:
    dept = scope.department_id
    base = {"department": dept}
    served_q = {**base, "served_from": f"{period.start:%d.%m.%Y}"}
    served_q["served_to"] = f"{period.end:%d.%m.%Y}"
    pq = period.as_query()
    f = s.report_figures(scope, period, tuple(Circumstance.values))
    return Report(
        period,
        department,
        [
            _recipients(f, base, served_q, pq),
            _services(f, base, pq),
            _patronage(f, base, pq),
            _rehab(f, base, pq),
            _quality(f, base, pq),
        ],
    )


def _recipients(f: dict[str, Any], base: dict, served_q: dict, pq: dict) -> Section:
    table = f["age_sex"]
    served = table["total"]["all"]
    moves = f["movements"]
    admitted, discharged = moves["admitted"], moves["discharged"]
    days = f["person_days"]
    main = Table("Получатели социальных услуг", ["Показатель", "Значение"])
    main.add(
        "Обслужено получателей (каждый один раз)", Cell(served, link("recipients", **served_q))
    )
    orders = {**base, **pq, "status": "approved"}
    main.add("Зачислено", Cell(admitted, link("orders", kind=OrderKind.ENROLMENT, **orders)))
    main.add("Снято с обслуживания", Cell(discharged, link("orders", kind="discharge", **orders)))
    main.add("Человеко-дни пребывания", Cell(days, link("recipients", **served_q)))

    age_sex = Table(
        "Возрастно-половой состав (возраст на последний день периода)",
        ["Возраст", "Мальчики", "Девочки", "Всего"],
    )
    for band, (label, _lo, _hi) in AGE_BANDS.items():
        row = table.get(band, {})
        age_sex.add(
            label,
            *(
                Cell(row.get(sex, 0), link("recipients", age=band, sex=sex_q, **served_q))
                for sex, sex_q in (("male", "male"), ("female", "female"), ("all", ""))
            ),
        )
    total = table.get("total", {})
    age_sex.add(
        "Всего",
        *(
            Cell(total.get(sex, 0), link("recipients", sex=sex_q, **served_q))
            for sex, sex_q in (("male", "male"), ("female", "female"), ("all", ""))
        ),
    )

    circ = Table(
        "По обстоятельствам нуждаемости (п. 1.4 Порядка)", ["Обстоятельство", "Получателей"]
    )
    counts = f["circumstances"]
    for code, label in Circumstance.choices:
        circ.add(label, Cell(counts[code], link("recipients", circumstance=code, **served_q)))
    circ.note = "У ребёнка может быть несколько обстоятельств: сумма строк больше числа детей."

    grounds = Table(
        "Снятие с обслуживания по основаниям (п. 3.5 Порядка)", ["Основание", "Приказов"]
    )
    by_ground = f["discharges_by_ground"]
    for code, label in [*DischargeGround.choices, ("", "основание не указано консилиумом")]:
        if code or by_ground.get(""):
            url = link("orders", kind="discharge", ground=code or "none", **orders)
            grounds.add(label, Cell(by_ground.get(code, 0), url))
    return Section("1. Получатели", [main, age_sex, circ, grounds])


def _services(f: dict[str, Any], base: dict, pq: dict) -> Section:
    q = {**base, **pq, "status": "done"}
    cols = ["Вид услуг", "Услуг", "Получателей", "Минут"]
    kinds = Table("По видам социальных услуг (п. 2.1 Порядка)", cols)
    by_kind = f["services_by_kind"]
    labels = dict(CategoryKind.choices)
    for kind in [*ORDER_KINDS, CategoryKind.PATRONAGE]:
        row = by_kind.get(kind, {"services": 0, "recipients": 0, "minutes": 0})
        url = link("journal", kind=kind, **q)
        kinds.add(
            labels[kind],
            Cell(row["services"], url),
            Cell(row["recipients"], url),
            Cell(row["minutes"], url),
        )
    totals: list[tuple[str, bool, str]] = [
        ("Итого, кроме срочных", False, ""),
        ("Срочные социальные услуги (отдельно)", True, CategoryKind.URGENT),
    ]
    empty = {"services": 0, "recipients": 0, "minutes": 0}
    for title, urgent, only in totals:
        # the urgent ones are a kind: their row above already holds them (one scan less)
        t = by_kind.get(CategoryKind.URGENT, empty) if urgent else f["services_totals"]
        url = link("journal", kind=only, **q)
        kinds.add(title, *(Cell(t[k], url) for k in ("services", "recipients", "minutes")))
    kinds.note = (
        "Получатели считаются один раз в каждой строке, сколько бы услуг ни получили; услуга "
        "считается в отделении, в котором оказана (запись журнала)."
    )
    each = Table("По каждой услуге справочника", ["Код и услуга", "Услуг", "Получателей", "Минут"])
    for r in f["services_by_service"]:
        url = link("journal", service=r["service_id"], **q)
        each.add(
            f"{r['service__code']} {r['service__name'][:120]}",
            Cell(r["services"], url),
            Cell(r["recipients"], url),
            Cell(r["minutes"] or 0, url),
        )
    return Section("2. Социальные услуги", [kinds, each])


def _patronage(figures: dict[str, Any], base: dict, pq: dict) -> Section:
    q = {**base, **pq}
    grounds = Table("Обращения по основаниям", ["Основание", "Обращений"])
    by_ground = figures["appeals_by_ground"]
    for code, label in AppealGround.choices:
        grounds.add(label, Cell(by_ground.get(code, 0), link("appeals", ground=code, **q)))
    channels = Table("Обращения по журналам", ["Журнал", "Обращений"])
    by_channel = figures["appeals_by_channel"]
    for code, label in Channel.choices:
        channels.add(label, Cell(by_channel.get(code, 0), link("appeals", channel=code, **q)))
    late = figures["appeals_registered_late"]
    channels.add(
        "Зарегистрировано с нарушением срока",
        Cell(late, link("appeals", status="late", **q)),
    )

    f = figures["patronage"]
    cases_url = link("cases", show="all", **q)
    work = Table("Социальный патронаж", ["Показатель", "Значение"])
    work.add("Семей под патронажем в периоде", Cell(f["families"], cases_url))

    def visits(**filters: str) -> str:
        return link("visits", status="completed", **filters, **q)

    work.add("Первичных посещений", Cell(f["visits"]["primary"], visits(kind="primary")))
    work.add("Повторных (плановых) посещений", Cell(f["visits"]["planned"], visits(kind="planned")))
    for code, label in ActKind.choices:
        work.add(label, Cell(f["acts"].get(code, 0), visits(act=code)))
    work.add("Дано рекомендаций", Cell(f["recommendations_given"], visits(recommendations="given")))
    for code in (RecommendationStatus.FULFILLED, RecommendationStatus.PARTLY):
        work.add(
            f"Рекомендаций проверено: {code.label.lower()}",
            Cell(f["checks"].get(code, 0), visits(recommendations=code)),
        )
    work.add(
        "Рекомендаций проверено: не выполнена",
        Cell(
            f["checks"].get(RecommendationStatus.NOT_FULFILLED, 0),
            visits(recommendations=RecommendationStatus.NOT_FULFILLED),
        ),
    )
    for code, label in Effectiveness.choices:
        work.add(
            f"Оценка эффективности — {label.lower()}",
            Cell(f["effectiveness"].get(code, 0), visits(effectiveness=code)),
        )
    return Section("3. Социальный патронаж семей", [grounds, channels, work])


def _rehab(figures: dict[str, Any], base: dict, pq: dict) -> Section:
    f = figures["rehab"]
    rehab_url = link("rehab", **base)
    meetings_url = link("consilium", **base, **pq)
    t = Table("Реабилитация", ["Показатель", "Значение"])
    for code, label in Stage.choices:
        t.add(f"Диагностик: {label}", Cell(f["diagnostics"].get(code, 0), rehab_url))
    t.add("Детей прошли диагностику", Cell(f["diagnosed"], rehab_url))
    t.add("Составлено ИПСРН", Cell(f["programmes"], link("rehab", **base, **pq)))
    t.add("Утверждено изменений ИПСРН консилиумом", Cell(f["revisions"], rehab_url))
    t.add("Заседаний ПМП консилиума", Cell(f["meetings"], meetings_url))
    for code, label in DecisionKind.choices:
        t.add(f"Решений: {label}", Cell(f["decisions"].get(code, 0), meetings_url))
    t.add("Выдано заключений о результатах ИПСРН", Cell(f["conclusions"], rehab_url))
    return Section("4. Реабилитация", [t])


def _quality(figures: dict[str, Any], base: dict, pq: dict) -> Section:
    f = figures["quality"]
    url = link("quality", **base, **pq)
    t = Table("Анкетирование получателей", ["Показатель", "Значение"])
    t.add("Анкет", Cell(f["surveys"], url))
    t.add("из них заполнили дети", Cell(f["minors"], url))
    t.add("из них заполнили законные представители", Cell(f["representatives"], url))
    for c in SCORE_CRITERIA:
        label = str(getattr(QualitySurvey._meta.get_field(c), "verbose_name", c))
        avg = f[c]
        t.add(
            f"Средняя оценка: {label} (1–5)", Cell(round(avg, 2) if avg is not None else "—", url)
        )
    return Section("5. Качество услуг", [t])
