"""The aggregate queries behind the dashboards and the statistical reports.

Every figure is a database aggregate (GROUP BY, conditional `Count` / `Sum`, `TruncMonth`) over
records fetched through the one scoping mechanism (`organisation.access`): a head's figures are
the department's, the director's the centre's (or one department's), and a role that reads no
case records gets empty figures. Nothing here loops over journal records in Python.

Stays come from the director's approved orders: an enrolment order opens a stay on its date of
effect, the next approved discharge order of the same minor closes it. So a minor discharged and
admitted again within a period has two stays, and is still one recipient served.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Greatest, TruncMonth
from django.utils import timezone

from consilium.models import Decision, Meeting
from orders.models import Order, OrderKind, OrderStatus
from orders.selectors import with_discharge_ground
from organisation import statements
from organisation.access import scoped_queryset
from organisation.models import Department, User
from organisation.statements import Pending
from patronage.models import (
    Appeal,
    AppealQuerySet,
    PatronageCase,
    Recommendation,
    RecommendationCheck,
    Visit,
    VisitAct,
    VisitStatus,
)
from recipients.models import QualitySurvey, Recipient
from recipients.selectors import AGE_BANDS, enrolled_counts, places_held_counts, served_between
from rehab_programs.models import (
    Conclusion,
    Diagnostic,
    ProgrammeVersion,
    RehabProgramme,
    VersionStatus,
)
from reports.stats.periods import Period
from services.models import CategoryKind, RecordStatus, Service, ServiceCategory, ServiceRecord

# The eight kinds of services of §2.1 of the Order (O2), in the Order's sequence: urgent first.
ORDER_KINDS: list[CategoryKind] = [
    CategoryKind.URGENT,
    CategoryKind.SOCIAL_HOUSEHOLD,
    CategoryKind.SOCIAL_MEDICAL,
    CategoryKind.SOCIAL_PSYCHOLOGICAL,
    CategoryKind.SOCIAL_PEDAGOGICAL,
    CategoryKind.SOCIAL_LABOUR,
    CategoryKind.SOCIAL_LEGAL,
    CategoryKind.COMMUNICATIVE,
]


@dataclass(frozen=True)
class Scope:
    """Who asks and for which department (None: everything the user sees)."""

    user: User
    department_id: int | None = None

    def qs(self, model: Any) -> QuerySet[Any]:
        """The model's records this user may see, within the chosen department."""
        base = scoped_queryset(model)
        qs = base.visible_to(self.user)
        if self.department_id is not None:
            qs = qs.filter(**{base.department_lookup: self.department_id})
        return qs


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def age_band_q(band: str, on: date, prefix: str = "") -> Q:
    """Age within the band on date `on`, as a range of birth dates (index-friendly, portable)."""
    _label, low, high = AGE_BANDS[band]
    return Q(
        **{
            f"{prefix}birth_date__gt": _years_before(on, high + 1),
            f"{prefix}birth_date__lte": _years_before(on, low),
        }
    )


# --- Stays: admissions and discharges (O12, O23, O24) -----------------------------------------


def _approved(kind: OrderKind) -> Q:
    return Q(kind=kind, status=OrderStatus.APPROVED)


def served(scope: Scope, period: Period) -> QuerySet[Recipient]:
    """Recipients with a stay overlapping the period: each minor once, however many stays (the
    register's own definition, so the figure and its list agree)."""
    ids = served_between(Recipient.objects.all(), period.start, period.end).values("pk")
    return scope.qs(Recipient).filter(pk__in=ids, archived_at__isnull=True)


def _age_sex_aggregates(period: Period) -> dict[str, Count]:
    """The counts of the age–sex table, keyed «band|sex»: by age on the period's last day."""
    aggregates = {}
    for band in AGE_BANDS:
        for sex in ("male", "female"):
            in_band = age_band_q(band, period.end) & Q(sex=sex)
            aggregates[f"{band}|{sex}"] = Count("pk", filter=in_band)
    aggregates["total|male"] = Count("pk", filter=Q(sex="male"))
    aggregates["total|female"] = Count("pk", filter=Q(sex="female"))
    aggregates["total|all"] = Count("pk")
    return aggregates


def _age_sex_table(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """The age–sex table from the counts of `_age_sex_aggregates`."""
    table: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        band, sex = key.split("|")
        table.setdefault(band, {})[sex] = n
    for row in table.values():
        row.setdefault("all", row.get("male", 0) + row.get("female", 0))
    return table


def served_by_age_and_sex(scope: Scope, period: Period) -> dict[str, dict[str, int]]:
    """The age–sex table: recipients served by age on the period's last day and sex."""
    return _age_sex_table(served(scope, period).aggregate(**_age_sex_aggregates(period)))


def served_by_circumstance(scope: Scope, period: Period, codes: list[str]) -> dict[str, int]:
    """Recipients served by each circumstance of §1.4 (a minor with several counts in each)."""
    qs = served(scope, period).annotate(circ_text=Cast("circumstances", TextField()))
    return qs.aggregate(
        **{code: Count("pk", filter=Q(circ_text__contains=f'"{code}"')) for code in codes}
    )


def person_days(scope: Scope, period: Period) -> int:
    """Days of stay within the period, summed over stays (both ends counted).

    A stay [E, D] holds |[max(E, start), end]| − |[max(D + 1, start), end]| days of the period,
    so the sum runs over the orders one by one, with no pairing of an enrolment with its
    discharge: each enrolment on or before the end adds the days from max(E, start) to the end;
    each discharge before the end takes away the days after it. One aggregate over the orders.
    """
    start, end = period.start, period.end
    day_before = start - timedelta(days=1)

    def days_to_end(since: Any) -> ExpressionWrapper:
        return ExpressionWrapper(
            Value(end, output_field=DateField()) - since, output_field=DurationField()
        )

    enrolled = Q(kind=OrderKind.ENROLMENT, effective_on__lte=end)
    discharged = Q(kind=OrderKind.DISCHARGE, effective_on__lt=end)
    result = (
        scope.qs(Order)
        .filter(status=OrderStatus.APPROVED)
        .aggregate(
            added=Sum(
                days_to_end(Greatest(F("effective_on"), Value(start, output_field=DateField()))),
                filter=enrolled,
            ),
            stays=Count("pk", filter=enrolled),
            removed=Sum(
                days_to_end(
                    Greatest(F("effective_on"), Value(day_before, output_field=DateField()))
                ),
                filter=discharged,
            ),
        )
    )
    added: timedelta | None = result["added"]
    removed: timedelta | None = result["removed"]
    return (added.days if added else 0) + (result["stays"] or 0) - (removed.days if removed else 0)


def orders_in(scope: Scope, period: Period, kind: OrderKind) -> QuerySet[Order]:
    return scope.qs(Order).filter(
        _approved(kind), effective_on__gte=period.start, effective_on__lte=period.end
    )


def movements(scope: Scope, period: Period) -> dict[str, int]:
    """Admissions and discharges in the period (approved orders by their date of effect)."""
    return (
        scope.qs(Order)
        .filter(status=OrderStatus.APPROVED, effective_on__range=(period.start, period.end))
        .aggregate(
            admitted=Count("pk", filter=Q(kind=OrderKind.ENROLMENT)),
            discharged=Count("pk", filter=Q(kind=OrderKind.DISCHARGE)),
        )
    )


def discharges_by_ground(scope: Scope, period: Period) -> dict[str, int]:
    """Discharge orders of the period by the ground of the consilium's decision (O23, O24)."""
    rows = (
        with_discharge_ground(orders_in(scope, period, OrderKind.DISCHARGE))
        .values("ground")  # type: ignore[misc]
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["ground"]: r["n"] for r in rows}


def movements_by_month(scope: Scope, period: Period) -> dict[date, dict[str, int]]:
    """Admissions and discharges (approved orders by their date of effect) per month."""
    rows = (
        scope.qs(Order)
        .filter(status=OrderStatus.APPROVED, effective_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("effective_on"))
        .values("month")
        .annotate(
            admitted=Count("pk", filter=Q(kind=OrderKind.ENROLMENT)),
            discharged=Count("pk", filter=Q(kind=OrderKind.DISCHARGE)),
        )
        .order_by("month")
    )
    result = {m: {"admitted": 0, "discharged": 0} for m in period.months()}
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        result[month] = {"admitted": r["admitted"], "discharged": r["discharged"]}
    return result


def enrolled_now(scope: Scope) -> dict[int, int]:
    """Enrolled recipients today, by department (`recipients.selectors.enrolled_counts`)."""
    return enrolled_counts(scope.qs(Recipient))


def free_places(scope: Scope) -> int | None:
    """Places free now (O36, table 1.4: a bed for each child for daytime sleep): the beds of the
    scope's departments less the places held in them from today on (`recipients.selectors.
    places_held_counts`, as the approval's gate counts them) — negative when over the places;
    None when none of them records its beds. Two queries."""
    departments = Department.objects.filter(beds__isnull=False)
    department_id = scope.department_id or scope.user.department_id
    if department_id is not None:
        departments = departments.filter(pk=department_id)
    beds = departments.aggregate(n=Sum("beds"))["n"]
    if beds is None:
        return None
    held = places_held_counts(scope.qs(Recipient).filter(department__in=departments))
    return beds - sum(held.values())


# --- Services (O2, P14) -----------------------------------------------------------------------


def delivered(scope: Scope, period: Period) -> QuerySet[ServiceRecord]:
    """Done records of the period. Aggregates over it count `*`, not the primary key, so that
    PostgreSQL reads only the covering index `record_done_report` (date, department, service,
    recipient, minutes), never the journal's rows."""
    return scope.qs(ServiceRecord).filter(
        status=RecordStatus.DONE, date__gte=period.start, date__lte=period.end
    )


def services_by_kind(scope: Scope, period: Period) -> dict[str, dict[str, int]]:
    """Per kind of services: number of services, recipients who got them, minutes."""
    rows = (
        delivered(scope, period)
        .values("service__category__kind")
        .annotate(
            services=Count("*"),
            recipients=Count("recipient", distinct=True),
            minutes=Sum("duration_minutes"),
        )
        .order_by()
    )
    return {
        r["service__category__kind"]: {
            "services": r["services"],
            "recipients": r["recipients"],
            "minutes": r["minutes"] or 0,
        }
        for r in rows
    }


def services_totals(scope: Scope, period: Period, *, urgent: bool | None = None) -> dict[str, int]:
    qs = delivered(scope, period)
    if urgent is True:
        qs = qs.filter(service__category__kind=CategoryKind.URGENT)
    elif urgent is False:
        qs = qs.exclude(service__category__kind=CategoryKind.URGENT)
    r = qs.aggregate(
        services=Count("*"),
        recipients=Count("recipient", distinct=True),
        minutes=Sum("duration_minutes"),
    )
    return {"services": r["services"], "recipients": r["recipients"], "minutes": r["minutes"] or 0}


def services_by_service(scope: Scope, period: Period) -> list[Any]:
    """Per catalogue service: code, name, kind, services, recipients, minutes. Grouped by the
    service's id in the journal alone (the covering index; grouping by the names as well sorted
    the period's records with them, on disk), the few dozen services' names joined after."""
    rows = {
        r["service_id"]: r
        for r in delivered(scope, period)
        .values("service_id")
        .annotate(
            services=Count("*"),
            recipients=Count("recipient", distinct=True),
            minutes=Sum("duration_minutes"),
        )
        .order_by()
    }
    services = Service.objects.filter(pk__in=rows).values(
        "pk",
        "code",
        "name",
        "category__kind",
        "category__position",
        "position",
    )
    result = [
        {
            "service_id": svc["pk"],
            "service__code": svc["code"],
            "service__name": svc["name"],
            "service__category__kind": svc["category__kind"],
            "service__category__position": svc["category__position"],
            "service__position": svc["position"],
            "services": rows[svc["pk"]]["services"],
            "recipients": rows[svc["pk"]]["recipients"],
            "minutes": rows[svc["pk"]]["minutes"],
        }
        for svc in services
    ]
    return sorted(result, key=lambda r: (r["service__category__position"], r["service__code"]))


def services_by_month(scope: Scope, period: Period) -> dict[date, dict[str, int]]:
    """Services delivered per month and kind. Grouped by month and service in the journal alone
    (an index-only scan of `record_done_report`), the few dozen services mapped to their kinds
    after: the months × services rows are summed, never the records."""
    rows = (
        delivered(scope, period)
        .annotate(month=TruncMonth("date"))
        .values("month", "service")
        .annotate(n=Count("*"))
        .order_by()
    )
    kinds = dict(Service.objects.values_list("pk", "category__kind"))
    result: dict[date, dict[str, int]] = {m: {} for m in period.months()}
    for r in rows:
        month = r["month"].date() if hasattr(r["month"], "date") else r["month"]
        kind = kinds[r["service"]]
        by_kind = result.setdefault(month, {})
        by_kind[kind] = by_kind.get(kind, 0) + r["n"]
    return result


def load_by_provider(scope: Scope, period: Period) -> list[Any]:
    """Per specialist: services logged, recipients, minutes in the period."""
    return list(
        delivered(scope, period)
        .values("provider", "provider__last_name", "provider__first_name", "provider__patronymic")
        .annotate(
            services=Count("pk"),
            recipients=Count("recipient", distinct=True),
            minutes=Sum("duration_minutes"),
        )
        .order_by("provider__last_name", "provider__first_name", "provider")
    )


# --- Social patronage (P1–P15) ----------------------------------------------------------------


def appeals_in(scope: Scope, period: Period) -> QuerySet[Appeal]:
    return scope.qs(Appeal).filter(
        archived_at__isnull=True, received_on__gte=period.start, received_on__lte=period.end
    )


def appeals_by(scope: Scope, period: Period, field: str) -> dict[str, int]:
    rows = appeals_in(scope, period).values(field).annotate(n=Count("pk")).order_by()
    return {r[field]: r["n"] for r in rows}


def appeals_registered_late(scope: Scope, period: Period) -> int:
    """Appeals of the period registered after their term (P2, P3). The term follows the
    working-day calendar, so it is computed per appeal of the period (dates only)."""
    qs = appeals_in(scope, period).filter(registered_on__isnull=False)
    return sum(1 for a in qs.only("received_on", "basis_due", "registered_on") if a.registered_late)


def cases_in(scope: Scope, period: Period) -> QuerySet[PatronageCase]:
    """Patronage cases open at some time in the period."""
    return (
        scope.qs(PatronageCase)
        .filter(archived_at__isnull=True, opened_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
    )


def visits_in(scope: Scope, period: Period) -> QuerySet[Visit]:
    return scope.qs(Visit).filter(
        archived_at__isnull=True,
        status=VisitStatus.COMPLETED,
        visited_on__gte=period.start,
        visited_on__lte=period.end,
    )


def patronage_figures(scope: Scope, period: Period) -> dict[str, Any]:
    cases = cases_in(scope, period).aggregate(
        cases=Count("pk"), families=Count("family", distinct=True)
    )
    visits = visits_in(scope, period).aggregate(
        primary=Count("pk", filter=Q(kind="primary")),
        planned=Count("pk", filter=Q(kind="planned")),
        total=Count("pk"),
    )
    acts = dict(
        scope.qs(VisitAct)
        .filter(
            visit__status=VisitStatus.COMPLETED,
            visit__visited_on__gte=period.start,
            visit__visited_on__lte=period.end,
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    given = (
        scope.qs(Recommendation)
        .filter(visit__visited_on__gte=period.start, visit__visited_on__lte=period.end)
        .count()
    )
    checks = dict(
        scope.qs(RecommendationCheck)
        .filter(visit__visited_on__gte=period.start, visit__visited_on__lte=period.end)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    effectiveness = dict(
        visits_in(scope, period)
        .exclude(effectiveness="")
        .values_list("effectiveness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        **cases,
        "visits": visits,
        "acts": acts,
        "recommendations_given": given,
        "checks": checks,
        "effectiveness": effectiveness,
    }


def patronage_load(scope: Scope, period: Period) -> dict[str, int]:
    """Open cases now, completed visits in the period, visits planned and overdue now."""
    today = timezone.localdate()
    open_cases = scope.qs(PatronageCase).filter(archived_at__isnull=True, closed_on__isnull=True)
    planned = scope.qs(Visit).filter(archived_at__isnull=True, status=VisitStatus.PLANNED)
    return {
        "open_cases": open_cases.count(),
        "visits": visits_in(scope, period).count(),
        **planned.aggregate(
            planned=Count("pk"), overdue=Count("pk", filter=Q(planned_on__lt=today))
        ),
    }


# --- Rehabilitation (O14–O21) -----------------------------------------------------------------


def rehab_figures(scope: Scope, period: Period) -> dict[str, Any]:
    rng = (period.start, period.end)
    diagnostics = dict(
        scope.qs(Diagnostic)
        .filter(archived_at__isnull=True, conducted_on__range=rng)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    diagnosed = (
        scope.qs(Diagnostic)
        .filter(archived_at__isnull=True, conducted_on__range=rng)
        .aggregate(n=Count("recipient", distinct=True))["n"]
    )
    programmes = (
        scope.qs(RehabProgramme).filter(archived_at__isnull=True, drawn_up_on__range=rng).count()
    )
    revisions = (
        scope.qs(ProgrammeVersion)
        .filter(status=VersionStatus.APPROVED, number__gt=1, protocol_date__range=rng)
        .count()
    )
    meetings = scope.qs(Meeting).filter(held_on__range=rng).count()
    decisions = dict(
        scope.qs(Decision)
        .filter(item__meeting__held_on__range=rng)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    conclusions = (
        scope.qs(Conclusion).filter(archived_at__isnull=True, drawn_up_on__range=rng).count()
    )
    return {
        "diagnostics": diagnostics,
        "diagnosed": diagnosed,
        "programmes": programmes,
        "revisions": revisions,
        "meetings": meetings,
        "decisions": decisions,
        "conclusions": conclusions,
    }


# --- Quality (O5) -----------------------------------------------------------------------------


def quality_figures(scope: Scope, period: Period) -> dict[str, Any]:
    from recipients.models import SCORE_CRITERIA

    qs = scope.qs(QualitySurvey).filter(answered_on__range=(period.start, period.end))
    return qs.aggregate(
        surveys=Count("pk"),
        minors=Count("pk", filter=Q(respondent="minor")),
        representatives=Count("pk", filter=Q(respondent="representative")),
        **{c: Avg(c) for c in SCORE_CRITERIA},
    )


# --- Orders waiting for the director ----------------------------------------------------------


def orders_waiting(scope: Scope) -> int:
    return scope.qs(Order).filter(status=OrderStatus.DRAFT).count()


def departments_for(user: User) -> QuerySet[Department]:
    """The departments a user's reports may cover: all for the director, own for a head."""
    from organisation.models import Role

    if user.role == Role.DIRECTOR:
        return Department.objects.filter(is_active=True)
    return Department.objects.filter(pk=user.department_id or 0)


# --- The statistical report's figures in one round trip ----------------------------------------
#
# The report asks some twenty aggregates. Each function above is one query, built by the ORM at
# every call; the report's page paid about as much for building them and for the round trips as
# the database took to answer. `report_figures` asks the same questions in fewer statements
# (conditional aggregates over one scan where several figures read the same rows; the journal's
# three aggregates from one grouping of the period's records), built once per shape of the
# report (`statements.kept`: the scope's SQL and the period; never the rows) and sent to
# PostgreSQL in one round trip (`statements.run_together`). The functions above stay the
# straightforward computation of each figure; a test holds the two equal.

# The models the report reads through the scoping mechanism: what each gives the user is part
# of the shape of the report's SQL.
_REPORT_MODELS = (
    Recipient,
    Order,
    ServiceRecord,
    Appeal,
    PatronageCase,
    Visit,
    VisitAct,
    Recommendation,
    RecommendationCheck,
    Diagnostic,
    RehabProgramme,
    ProgrammeVersion,
    Meeting,
    Decision,
    Conclusion,
    QualitySurvey,
)


def _one_row(qs: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """The aggregates over the whole queryset as a `values()` queryset of one row (no GROUP
    BY), which compiles like any other (`statements.compiled`)."""
    one = Value(1, output_field=IntegerField())
    return qs.order_by().values(_all=one).annotate(**aggregates).values(*aggregates)


def _later(qs: QuerySet[Any], finish: Callable[[list[dict[str, Any]]], Any]) -> Pending:
    """A `values()` queryset to run with others; `finish` gets its rows as dicts."""
    q = qs.query
    names = [*q.extra_select, *q.values_select, *q.annotation_select]

    def made(rows: list[Any]) -> Any:
        return finish([dict(zip(names, r, strict=True)) for r in rows])

    return statements.later(statements.compiled(qs), made)


def _counts(rows: list[dict[str, Any]], key: str) -> dict[str, int]:
    return {r[key]: r["n"] for r in rows}


def _served_statement(scope: Scope, period: Period, codes: list[str]) -> Pending:
    """The age–sex table and the circumstances of §1.4 of the recipients served: one aggregate
    over `served` (which the two tables used to compute twice)."""
    aggregates = _age_sex_aggregates(period)
    for code in codes:
        aggregates[f"circumstance|{code}"] = Count("pk", filter=Q(circ_text__contains=f'"{code}"'))
    qs = served(scope, period).alias(circ_text=Cast("circumstances", TextField()))

    def finish(rows: list[dict[str, Any]]) -> dict[str, Any]:
        counts, circumstances = {}, {}
        for key, n in rows[0].items():
            band, code = key.split("|")
            if band == "circumstance":
                circumstances[code] = n
            else:
                counts[key] = n
        return {"age_sex": _age_sex_table(counts), "circumstances": circumstances}

    return _later(_one_row(qs, **aggregates), finish)


def _orders_statement(scope: Scope, period: Period) -> Pending:
    """Admissions, discharges and person-days (`movements`, `person_days`): one aggregate over
    the approved orders."""
    start, end = period.start, period.end
    day_before = start - timedelta(days=1)

    def days_to_end(since: Any) -> ExpressionWrapper:
        return ExpressionWrapper(
            Value(end, output_field=DateField()) - since, output_field=DurationField()
        )

    in_period = Q(effective_on__gte=start, effective_on__lte=end)
    enrolled = Q(kind=OrderKind.ENROLMENT, effective_on__lte=end)
    discharged = Q(kind=OrderKind.DISCHARGE, effective_on__lt=end)
    qs = _one_row(
        scope.qs(Order).filter(status=OrderStatus.APPROVED),
        admitted=Count("pk", filter=in_period & Q(kind=OrderKind.ENROLMENT)),
        discharged=Count("pk", filter=in_period & Q(kind=OrderKind.DISCHARGE)),
        added=Sum(
            days_to_end(Greatest(F("effective_on"), Value(start, output_field=DateField()))),
            filter=enrolled,
        ),
        stays=Count("pk", filter=enrolled),
        removed=Sum(
            days_to_end(Greatest(F("effective_on"), Value(day_before, output_field=DateField()))),
            filter=discharged,
        ),
    )

    def finish(rows: list[dict[str, Any]]) -> dict[str, int]:
        r = rows[0]
        added: timedelta | None = r["added"]
        removed: timedelta | None = r["removed"]
        days = (added.days if added else 0) + (r["stays"] or 0) - (removed.days if removed else 0)
        return {"admitted": r["admitted"], "discharged": r["discharged"], "person_days": days}

    return _later(qs, finish)


def _grounds_statement(scope: Scope, period: Period) -> Pending:
    qs = (
        with_discharge_ground(orders_in(scope, period, OrderKind.DISCHARGE))
        .values("ground")  # type: ignore[misc]
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _later(qs, lambda rows: _counts(rows, "ground"))


def _services_statement(scope: Scope, period: Period) -> Pending:
    """Per kind, per catalogue service and in total but the urgent ones: services, recipients,
    minutes (`services_by_kind`, `services_by_service`, `services_totals(urgent=False)`).

    The three used to read the period's records three times, each sorting them for its count
    of distinct recipients (on disk, at the scale of the bench). Here the records are grouped
    once by service and recipient (a hash aggregate over the covering index
    `record_done_report`), and the three figures are sums and counts over those groups: a
    recipient is one group per service, so the groups of a service count its recipients; a
    kind's recipients are the distinct ones of its services' groups."""
    groups = (
        delivered(scope, period)
        .values("service_id", "recipient_id")
        .annotate(n=Count("*"), m=Sum("duration_minutes"))
        .order_by()
    )
    g_sql, g_params = groups.query.sql_with_params()
    q = connection.ops.quote_name
    service, category = q(Service._meta.db_table), q(ServiceCategory._meta.db_table)
    sql = (
        f"WITH g AS ({g_sql}), k AS (SELECT g.recipient_id, g.n, g.m, c.{q('kind')} AS kind"
        f" FROM g JOIN {service} s ON s.{q('id')} = g.service_id"
        f" JOIN {category} c ON c.{q('id')} = s.{q('category_id')})"
        " SELECT g.service_id, NULL, SUM(g.n), COUNT(*), SUM(g.m) FROM g GROUP BY g.service_id"
        " UNION ALL SELECT NULL, k.kind, SUM(k.n), COUNT(DISTINCT k.recipient_id), SUM(k.m)"
        " FROM k GROUP BY k.kind"
        " UNION ALL SELECT NULL, NULL, SUM(k.n), COUNT(DISTINCT k.recipient_id), SUM(k.m)"
        " FROM k WHERE k.kind <> %s"
    )

    def number(x: Any) -> int | None:  # PostgreSQL's SUM of a bigint is a numeric
        return None if x is None else int(x)

    def finish(rows: list[Any]) -> dict[str, Any]:
        by_kind, by_service = {}, {}
        totals = {"services": 0, "recipients": 0, "minutes": 0}
        for service_id, kind, n, recipients, minutes in rows:
            figures = {"services": number(n) or 0, "recipients": recipients}
            if service_id is not None:
                by_service[service_id] = {**figures, "minutes": number(minutes)}
            elif kind is not None:
                by_kind[kind] = {**figures, "minutes": number(minutes) or 0}
            else:
                totals = {**figures, "minutes": number(minutes) or 0}
        return {"by_kind": by_kind, "by_service": by_service, "totals": totals}

    return statements.later(statements.raw(sql, [*g_params, CategoryKind.URGENT.value]), finish)


def _catalogue_statement() -> Pending:
    """The catalogue's services (a few dozen), to name the rows of `services_by_service`."""
    qs = Service.objects.order_by().values(
        "pk", "code", "name", "category__kind", "category__position", "position"
    )
    return _later(qs, lambda rows: {r["pk"]: r for r in rows})


def _by_service(counts: dict[int, dict[str, Any]], catalogue: dict[int, Any]) -> list[Any]:
    """The rows of `services_by_service` from the counts per service id and the catalogue."""
    result = [
        {
            "service_id": pk,
            "service__code": svc["code"],
            "service__name": svc["name"],
            "service__category__kind": svc["category__kind"],
            "service__category__position": svc["category__position"],
            "service__position": svc["position"],
            **counts[pk],
        }
        for pk, svc in catalogue.items()
        if pk in counts
    ]
    return sorted(result, key=lambda r: (r["service__category__position"], r["service__code"]))


def _appeals_statements(scope: Scope, period: Period) -> list[Pending]:
    """Appeals by ground and by journal (one grouping by both), and those registered late: the
    term computed in the database once per day of receipt (`registration_counts`), not per
    appeal in Python."""
    appeals = appeals_in(scope, period)
    both = appeals.values("ground", "channel").annotate(n=Count("pk")).order_by()

    def finish(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
        by: dict[str, dict[str, int]] = {"ground": {}, "channel": {}}
        for r in rows:
            for field in by:
                by[field][r[field]] = by[field].get(r[field], 0) + r["n"]
        return by

    sql, params = cast(AppealQuerySet, appeals).registration_counts_sql(period.end)
    late = statements.later(statements.raw(sql, params), lambda rows: rows[0][1])
    return [_later(both, finish), late]


def _patronage_statements(scope: Scope, period: Period) -> list[Pending]:
    """`patronage_figures`: the visits' counts and their effectiveness in one grouping."""
    cases = _one_row(
        cases_in(scope, period), cases=Count("pk"), families=Count("family", distinct=True)
    )
    visits = (
        visits_in(scope, period)
        .values("effectiveness")
        .annotate(
            primary=Count("pk", filter=Q(kind="primary")),
            planned=Count("pk", filter=Q(kind="planned")),
            total=Count("pk"),
        )
        .order_by()
    )

    def visit_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
        counts = {k: sum(r[k] for r in rows) for k in ("primary", "planned", "total")}
        effectiveness = {r["effectiveness"]: r["total"] for r in rows if r["effectiveness"]}
        return {"visits": counts, "effectiveness": effectiveness}

    in_period = {"visit__visited_on__gte": period.start, "visit__visited_on__lte": period.end}
    acts = (
        scope.qs(VisitAct)
        .filter(visit__status=VisitStatus.COMPLETED, **in_period)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    given = _one_row(scope.qs(Recommendation).filter(**in_period), n=Count("*"))
    checks = (
        scope.qs(RecommendationCheck)
        .filter(**in_period)
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        _later(cases, lambda rows: rows[0]),
        _later(visits, visit_figures),
        _later(acts, lambda rows: {"acts": _counts(rows, "kind")}),
        _later(given, lambda rows: {"recommendations_given": rows[0]["n"]}),
        _later(checks, lambda rows: {"checks": _counts(rows, "outcome")}),
    ]


def _rehab_statements(scope: Scope, period: Period) -> list[Pending]:
    """`rehab_figures`: the diagnostics by stage and the children diagnosed in one aggregate."""
    from rehab_programs.models import Stage

    rng = (period.start, period.end)
    diagnostics = _one_row(
        scope.qs(Diagnostic).filter(archived_at__isnull=True, conducted_on__range=rng),
        diagnosed=Count("recipient", distinct=True),
        **{f"stage|{code}": Count("pk", filter=Q(stage=code)) for code in Stage.values},
    )

    def diagnostic_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
        r = rows[0]
        stages = {k.split("|")[1]: n for k, n in r.items() if k.startswith("stage|") and n}
        return {"diagnostics": stages, "diagnosed": r["diagnosed"]}

    def count(qs: QuerySet[Any], name: str) -> Pending:
        return _later(_one_row(qs, n=Count("*")), lambda rows: {name: rows[0]["n"]})

    decisions = (
        scope.qs(Decision)
        .filter(item__meeting__held_on__range=rng)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        _later(diagnostics, diagnostic_figures),
        count(
            scope.qs(RehabProgramme).filter(archived_at__isnull=True, drawn_up_on__range=rng),
            "programmes",
        ),
        count(
            scope.qs(ProgrammeVersion).filter(
                status=VersionStatus.APPROVED, number__gt=1, protocol_date__range=rng
            ),
            "revisions",
        ),
        count(scope.qs(Meeting).filter(held_on__range=rng), "meetings"),
        _later(decisions, lambda rows: {"decisions": _counts(rows, "kind")}),
        count(
            scope.qs(Conclusion).filter(archived_at__isnull=True, drawn_up_on__range=rng),
            "conclusions",
        ),
    ]


def _quality_statement(scope: Scope, period: Period) -> Pending:
    from recipients.models import SCORE_CRITERIA

    qs = _one_row(
        scope.qs(QualitySurvey).filter(answered_on__range=(period.start, period.end)),
        surveys=Count("pk"),
        minors=Count("pk", filter=Q(respondent="minor")),
        representatives=Count("pk", filter=Q(respondent="representative")),
        **{c: Avg(c) for c in SCORE_CRITERIA},
    )
    return _later(qs, lambda rows: rows[0])


def _report_statements(scope: Scope, period: Period, codes: tuple[str, ...]) -> list[Pending]:
    return [
        _served_statement(scope, period, list(codes)),
        _orders_statement(scope, period),
        _grounds_statement(scope, period),
        _services_statement(scope, period),
        _catalogue_statement(),
        *_appeals_statements(scope, period),
        *_patronage_statements(scope, period),
        *_rehab_statements(scope, period),
        _quality_statement(scope, period),
    ]


def report_figures(scope: Scope, period: Period, codes: tuple[str, ...]) -> dict[str, Any]:
    """Every figure of the statistical report (`codes`: the circumstances of §1.4 to count),
    as the functions above compute them one by one: in one round trip on PostgreSQL, the
    statements built once per shape of the report (see above)."""
    shape = (
        "statistical report",
        scope.department_id,
        *(scoped_queryset(m).scope_of(scope.user) for m in _REPORT_MODELS),
        period,
        codes,
    )
    pending = statements.kept(shape, lambda: _report_statements(scope, period, codes))
    (
        served_figures,
        orders,
        grounds,
        services,
        catalogue,
        appeals,
        late,
        cases,
        visits,
        acts,
        given,
        checks,
        diagnostics,
        programmes,
        revisions,
        meetings,
        decisions,
        conclusions,
        quality,
    ) = statements.run_together(pending)
    return {
        **served_figures,
        "movements": {"admitted": orders["admitted"], "discharged": orders["discharged"]},
        "person_days": orders["person_days"],
        "discharges_by_ground": grounds,
        "services_by_kind": services["by_kind"],
        "services_totals": services["totals"],
        "services_by_service": _by_service(services["by_service"], catalogue),
        "appeals_by_ground": appeals["ground"],
        "appeals_by_channel": appeals["channel"],
        "appeals_registered_late": late,
        "patronage": {**cases, **visits, **acts, **given, **checks},
        "rehab": {
            **diagnostics,
            **programmes,
            **revisions,
            **meetings,
            **decisions,
            **conclusions,
        },
        "quality": quality,
    }
