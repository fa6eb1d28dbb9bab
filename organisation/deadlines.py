"""One register of deadlines, computed by the database.

Each kind of deadline is defined once, where its domain lives (`<app>/deadlines.py`), as a
`DeadlineKind` subclass, and listed in one place: the registry `kinds()` below. A kind gives a
queryset of its records annotated (with `deadline()`) with four SQL expressions — the due date
(`calendar_sql` joins the working-day table), the day it was done, the responsible user and the
department — and turns one record into a `DeadlineItem` (title and link) for display.

The state (в срок / срок подходит / просрочено / выполнено с опозданием / выполнено) is a SQL
expression of those dates and today (`Register`), so the pages and the daily job filter, sort,
count and paginate in the database (`rows`, `state_counts`, `materialise`). Nothing here is
stored except the notifications sent; `state_of` is the same rule in Python, the reference the
tests compare the SQL with.

Adding a kind: subclass `DeadlineKind`, set `code`, `label`, `rules`, implement `queryset` (end it
with `deadline(qs, due=..., responsible=..., department=..., done=...)`) and `item`, and list the
class in `kinds()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.db import connection, models
from django.db.models import Case, CharField, DateField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from organisation import calendar, prepared, statements, text

if TYPE_CHECKING:
    from organisation.models import User

# "Due soon": this many working days or fewer before the due date.
DUE_SOON_WORKING_DAYS = 2


class State(models.TextChoices):
    ON_TIME = "on_time", "в срок"
    DUE_SOON = "due_soon", "срок подходит"
    OVERDUE = "overdue", "просрочено"
    DONE_LATE = "done_late", "выполнено с опозданием"
    DONE = "done", "выполнено"


OPEN_STATES = frozenset({State.ON_TIME, State.DUE_SOON, State.OVERDUE})


def state_of(due: date, done_on: date | None, today: date) -> State:
    """The state in Python: the reference for the SQL of `Register`."""
    if done_on is not None:
        return State.DONE if done_on <= due else State.DONE_LATE
    if today > due:
        return State.OVERDUE
    if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return State.DUE_SOON
    return State.ON_TIME


def soon_limit(today: date) -> date:
    """The first due date that is no longer "due soon": an open item due from today up to the
    day before it has at most `DUE_SOON_WORKING_DAYS` working days left."""
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1)


def start_of_day(day: date) -> datetime:
    """The first moment of a local day: `moment__date__gte=day` as `moment__gte=start_of_day(day)`,
    a comparison of the column itself that an index can answer."""
    return timezone.make_aware(datetime.combine(day, time.min))


def escalation_due(due: date) -> date:
    """An overdue item goes to the head once it has stayed overdue one more working day."""
    return calendar.add_working_days(due, 1)


@dataclass(frozen=True)
class DeadlineItem:
    kind: DeadlineKind
    key: str  # identifies the record within its kind, e.g. "appeal:15"
    title: str  # what is due, in Russian
    due: date
    url: str
    responsible_id: int | None
    department_id: int | None
    done_on: date | None = None
    responsible_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def state(self, today: date) -> State:
        return state_of(self.due, self.done_on, today)

    def is_open(self) -> bool:
        return self.done_on is None


# --- Who answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    """The holders of the posts the kinds name as responsible, read once per page or job."""

    heads: dict[int, int]  # department id -> the head's user id
    registrar_id: int | None
    director_id: int | None

    @classmethod
    def load(cls) -> People:
        """One query: the active holders of the three posts, the most recently appointed of
        each post (of each department for the heads), as `organisation.selectors`'
        `current_registrar`, `current_director` and `heads_by_department`."""
        from organisation.models import Position, User

        def query() -> tuple[str, tuple[Any, ...]]:
            holders = (
                User.objects.filter(
                    position__in=(Position.HEAD, Position.REGISTRAR, Position.DIRECTOR),
                    is_active=True,
                    awaiting_confirmation=False,  # a position not yet confirmed holds no post
                )
                .order_by("-date_joined", "-pk")
                .values_list("pk", "position", "department_id")
            )
            return holders.query.sql_with_params()

        # its SQL built once (`organisation.statements.kept`): every deadline page asks it
        sql, params = statements.kept(("deadline people",), query)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            holders = cursor.fetchall()
        heads: dict[int, int] = {}
        first: dict[str, int] = {}
        for pk, position, department_id in holders:
            if position == Position.HEAD:
                if department_id is not None:
                    heads.setdefault(department_id, pk)
            else:
                first.setdefault(position, pk)
        return cls(
            heads=heads,
            registrar_id=first.get(Position.REGISTRAR),
            director_id=first.get(Position.DIRECTOR),
        )

    @property
    def key(self) -> tuple[Any, ...]:
        """Everything of the holders the kinds' SQL depends on, hashable."""
        return (tuple(sorted(self.heads.items())), self.registrar_id, self.director_id)


_people: ContextVar[People | None] = ContextVar("deadline_people", default=None)


def people() -> People:
    current = _people.get()
    return current if current is not None else People.load()


@contextmanager
def same_people() -> Iterator[People]:
    """Within the block every kind reads the post holders once (three queries in all)."""
    if (current := _people.get()) is not None:
        yield current
        return
    token = _people.set(People.load())
    try:
        yield _people.get()  # type: ignore[misc]
    finally:
        _people.reset(token)


def head_of(department: str) -> Any:
    """SQL: the head of the department in the field `department` (NULL while vacant) — a CASE
    over the few departments, no join."""
    heads = people().heads
    if not heads:
        return Cast(Value(None), output_field=IntegerField())
    return Case(
        *(When(**{department: d}, then=Value(h)) for d, h in sorted(heads.items())),
        default=Value(None),
        output_field=IntegerField(),
    )


def user_value(user_id: int | None) -> Any:
    if user_id is None:
        return Cast(Value(None), output_field=IntegerField())  # typed: see `_as_expression`
    return Value(user_id, output_field=IntegerField())


def _as_expression(value: Any, output_field: models.Field) -> Any:
    if value is None:
        # A typed NULL: in a UNION of kinds that all lack the column, PostgreSQL would take a
        # bare NULL for text and refuse to compare it with a date.
        return Cast(Value(None), output_field=output_field)
    return F(value) if isinstance(value, str) else value


def none_or_since(name: str, day: date) -> GreaterThanOrEqual:
    """A filter: the annotation `name` is NULL or on or after `day` ("open, or closed lately"),
    naming it once. `Q(name__isnull=True) | Q(name__gte=day)` over the annotation of a subquery
    runs that subquery twice for each row PostgreSQL reads."""
    return GreaterThanOrEqual(Coalesce(name, Value(day, output_field=DateField())), day)


def deadline(
    qs: QuerySet[Any], *, due: Any, responsible: Any, department: Any, done: Any = None
) -> QuerySet[Any]:
    """Annotate a kind's queryset with the four columns every deadline has, in this order (the
    register unions the kinds by position): `dl_due`, `dl_done`, `dl_responsible`,
    `dl_department`. Each argument is a field name or an expression."""
    return qs.annotate(
        dl_due=_as_expression(due, DateField()),
        dl_done=_as_expression(done, DateField()),
        dl_responsible=_as_expression(responsible, IntegerField()),
        dl_department=_as_expression(department, IntegerField()),
    )


# --- Kinds -------------------------------------------------------------------------------------


class DeadlineKind:
    """A kind of deadline. Subclasses set the class attributes and implement `queryset` and
    `item` (or `querysets`, when the items come from more than one model)."""

    code: ClassVar[str]  # stable identifier, stored with notifications
    label: ClassVar[str]  # «Регистрация обращения»
    rules: ClassVar[str] = ""  # the regulation's rule ids, e.g. "P2, P3"

    def queryset(self, *, today: date) -> QuerySet[Any]:
        """The records of this kind that are open, or were closed recently (for "done late"),
        annotated by `deadline()`. It depends on `today` and the post holders (`people()`)
        only: the register builds its SQL once for those (`_union_of_shape`)."""
        raise NotImplementedError

    def querysets(self, *, today: date) -> Sequence[QuerySet[Any]]:
        return [self.queryset(today=today)]

    def item(self, obj: Any) -> DeadlineItem:
        """One record of `queryset` (with its annotations) as an item: key, title, link."""
        raise NotImplementedError

    def make(self, obj: Any, *, key: str, title: str, url: str) -> DeadlineItem:
        """An item of this kind from the `deadline()` annotations of `obj`."""
        return DeadlineItem(
            kind=self,
            key=key,
            title=title,
            url=url,
            due=obj.dl_due,
            done_on=obj.dl_done,
            responsible_id=obj.dl_responsible,
            department_id=obj.dl_department,
            # filled in by `materialise_rows`, which reads the names with the records
            responsible_name=getattr(obj, "dl_responsible_name", ""),
        )

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        """Every item of this kind (within one department when given), one query per source."""
        with same_people():
            items = [
                self.item(obj)
                for qs in self.querysets(today=today)
                for obj in _in_department(qs, department_id)
            ]
        return _with_names(items)


def _in_department(qs: QuerySet[Any], department_id: int | None) -> QuerySet[Any]:
    return qs if department_id is None else qs.filter(dl_department=department_id)


def _with_names(
    items: list[DeadlineItem], names: dict[int, str] | None = None
) -> list[DeadlineItem]:
    """Fill in the responsible users' short names: from `names` when the caller read them,
    else one query."""
    if names is None:
        names = _names(statements.run_together([_users_later(items)])[0])
    return [
        replace(i, responsible_name=names.get(i.responsible_id, "")) if i.responsible_id else i
        for i in items
    ]


def _users_later(items: Iterable[DeadlineItem | dict[str, Any]]) -> statements.Pending:
    """The responsible users of `items` (or of register rows), as `(pk, short name)`: one query,
    its SQL built once per number of users."""
    from organisation.models import User

    found = (i["dl_responsible"] if isinstance(i, dict) else i.responsible_id for i in items)
    ids: list[int] = sorted({pk for pk in found if pk})

    def users(of: list[int]) -> QuerySet[Any]:
        return (
            User.objects.filter(pk__in=of)
            .order_by()
            .values_list("pk", "last_name", "first_name", "patronymic")
        )

    return statements.rows_later(("deadline users",), users, ids)


def _names(rows: list[Any]) -> dict[int, str]:
    return {pk: text.short_name(last, first, patronymic) for pk, last, first, patronymic in rows}


@cache
def kinds() -> tuple[DeadlineKind, ...]:
    """The registry: every deadline kind of the system, in the order the dashboards show them.

    The one place where this bottom app names the apps above it: the kinds are imported here
    (inside the function, once the apps are loaded), never found by name.
    """
    from orders.deadlines import OrderAwaitingDecision
    from patronage.deadlines import AppealRegistration, FirstVisit, VisitReview
    from recipients.deadlines import (
        CircumstanceChangeReview,
        ContractTermEnding,
        EighteenthBirthday,
        FourteenthBirthday,
        HospitalisationNotice,
        InformationRequestAnswer,
    )
    from rehab_programs.deadlines import (
        PrimaryDiagnostics,
        QuarterlyRevision,
        RehabProgrammeDrawnUp,
    )
    from services.deadlines import IndividualProgrammeTermEnding

    registry: tuple[type[DeadlineKind], ...] = (
        AppealRegistration,
        FirstVisit,
        VisitReview,
        OrderAwaitingDecision,
        ContractTermEnding,
        IndividualProgrammeTermEnding,
        FourteenthBirthday,
        EighteenthBirthday,
        CircumstanceChangeReview,
        HospitalisationNotice,
        InformationRequestAnswer,
        PrimaryDiagnostics,
        RehabProgrammeDrawnUp,
        QuarterlyRevision,
    )
    return tuple(kind() for kind in registry)


def kind_by_code(code: str) -> DeadlineKind | None:
    return next((k for k in kinds() if k.code == code), None)


# --- The register in SQL ---------------------------------------------------------------------

PART_FIELDS = (
    "dl_due",
    "dl_done",
    "dl_responsible",
    "dl_department",
    "dl_kind",
    "dl_source",
    "dl_record",
)
ROW_FIELDS = (*PART_FIELDS, "dl_state")


@dataclass(frozen=True)
class Filter:
    """What a deadline page or the daily job asks for: a WHERE of each kind (department,
    person, kind, open), and of the whole register (states)."""

    department_id: int | None = None
    responsible_id: int | None = None
    states: frozenset[str] | None = None  # None: every state
    kind: str | None = None  # a kind's code
    open_only: bool = False

    def where(self, alias: str) -> tuple[str, list[Any]]:
        """The kind, open-only and state conditions as SQL over the register's rows named
        `alias` (the department and the person are conditions of each kind's query)."""
        conditions, params = [], []
        if self.kind:
            conditions.append(f"{alias}.dl_kind = %s")
            params.append(self.kind)
        if self.open_only:
            conditions.append(f"{alias}.dl_done IS NULL")
        if self.states is not None:
            states = sorted(self.states)
            if states:
                conditions.append(f"{alias}.dl_state IN ({', '.join(['%s'] * len(states))})")
                params.extend(states)
            else:
                conditions.append("1 = 0")
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), params

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.department_id is not None:
            qs = qs.filter(dl_department=self.department_id)
        if self.responsible_id is not None:
            qs = qs.filter(dl_responsible=self.responsible_id)
        if self.open_only:
            qs = qs.filter(dl_done__isnull=True)
        return qs


def _parts(today: date, flt: Filter) -> list[QuerySet[Any]]:
    parts = []
    for kind in kinds():
        if flt.kind and kind.code != flt.kind:
            continue
        for source, qs in enumerate(kind.querysets(today=today)):
            qs = qs.annotate(
                dl_kind=Value(kind.code, output_field=CharField()),
                dl_source=Value(source, output_field=IntegerField()),
                dl_record=F("pk"),
            )
            parts.append(flt.apply(qs).order_by().values(*PART_FIELDS))
    return parts


# The department and the person of a register's filter, while its SQL is built once for every
# filter of the same shape: values no id takes, replaced by the filter's own in the parameters.
# Within a 32-bit integer: the ORM turns a comparison with a value out of the column's range
# into "no rows", which would drop the kind from the union.
_DEPARTMENT_MARK = -2_147_000_001
_PERSON_MARK = -2_147_000_002


@dataclass(frozen=True)
class _Union:
    sql: str
    params: tuple[Any, ...]
    # the positions of the department's id in `params`, each with its type (an int, or the
    # driver's typed int the ORM passes for some expressions)
    department_at: tuple[tuple[int, type[int]], ...]
    person_at: tuple[tuple[int, type[int]], ...]


@lru_cache(maxsize=128)
def _union_of_shape(
    registry: tuple[DeadlineKind, ...],
    today: date,
    people_key: tuple[Any, ...],
    vendor: str,
    kind: str | None,
    open_only: bool,
    by_department: bool,
    by_person: bool,
) -> _Union:
    """The kinds' queries joined by UNION ALL for one shape of filter, built by the ORM once
    (the querysets of fourteen kinds cost far more Python than the database's answer) and
    reused while the registry (`kinds()`), the day, the post holders (`people_key`, those of
    the current `same_people` block) and the shape stay: a kind's query depends on nothing
    else. The department and the person are placeholders (the marks)."""
    shape = Filter(
        department_id=_DEPARTMENT_MARK if by_department else None,
        responsible_id=_PERSON_MARK if by_person else None,
        kind=kind,
        open_only=open_only,
    )
    parts = _parts(today, shape)
    if not parts:
        sql = "SELECT " + ", ".join(f"NULL AS {c}" for c in PART_FIELDS) + " WHERE 1 = 0"
        return _Union(sql, (), (), ())
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    sql, params = combined.query.sql_with_params()

    def at(mark: int) -> tuple[tuple[int, type[int]], ...]:
        return tuple(
            (i, type(p))
            for i, p in enumerate(params)
            if isinstance(p, int) and not isinstance(p, bool) and p == mark
        )

    department_at, person_at = at(_DEPARTMENT_MARK), at(_PERSON_MARK)
    # each part compares its department and its person with a parameter, once
    if len(department_at) != len(parts) * by_department or len(person_at) != len(parts) * by_person:
        raise RuntimeError("a kind's department or person is not one parameter of its query")
    return _Union(sql, tuple(params), department_at, person_at)


def _union(today: date, flt: Filter) -> tuple[str, list[Any]]:
    """The SQL and parameters of the kinds' rows under `flt` (of `_union_of_shape`)."""
    with same_people() as current:
        union = _union_of_shape(
            kinds(),
            today,
            current.key,
            connection.vendor,
            flt.kind,
            flt.open_only,
            flt.department_id is not None,
            flt.responsible_id is not None,
        )
    params = list(union.params)
    # the shape has the marks only when the filter has the department or the person
    for i, kind in union.department_at:
        params[i] = kind(cast(int, flt.department_id))
    for i, kind in union.person_at:
        params[i] = kind(cast(int, flt.responsible_id))
    return union.sql, params


class Register:
    """The deadlines of every kind under a filter, as rows (`ROW_FIELDS`) soonest first: one SQL
    query (the kinds' queries joined by UNION ALL; each due date computed once per record, the
    state from it in the outer query) that counts, slices and pages like a queryset."""

    ORDER = "r.dl_due, r.dl_kind, r.dl_record"

    def __init__(self, *, today: date, flt: Filter | None = None) -> None:
        self.today = today
        self.flt = flt or Filter()
        union, params = _union(today, self.flt)
        # OFFSET 0 keeps PostgreSQL from copying each due date's subquery into every CASE
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        state = (
            "CASE WHEN u.dl_done IS NOT NULL AND u.dl_done <= u.dl_due THEN %s"
            " WHEN u.dl_done IS NOT NULL THEN %s WHEN u.dl_due < %s THEN %s"
            " WHEN u.dl_due < %s THEN %s ELSE %s END"
        )
        # the CASE comes first in the text: its parameters before the kinds'
        params = [
            State.DONE.value,
            State.DONE_LATE.value,
            today,
            State.OVERDUE.value,
            soon_limit(today),
            State.DUE_SOON.value,
            State.ON_TIME.value,
            *params,
        ]
        sql = f"SELECT u.*, {state} AS dl_state FROM ({union}{fence}) u"
        if self.flt.states is not None:
            states = sorted(self.flt.states)
            sql = f"SELECT * FROM ({sql}) s WHERE s.dl_state IN ({', '.join(['%s'] * len(states))})"
            params.extend(states)
        self.sql, self.params = sql, params
        self._count: int | None = None
        self._slice: tuple[int, int, list[dict[str, Any]]] | None = None

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        # planned once per connection on PostgreSQL: the statement repeats, its plan is dear
        return prepared.fetch_all(sql, params)

    def _rows(self, suffix: str = "", extra: Sequence[Any] = ()) -> list[dict[str, Any]]:
        query = f"SELECT {', '.join('r.' + c for c in ROW_FIELDS)} FROM ({self.sql}) r"
        return [
            _row(values)
            for values in self._fetch(
                f"{query} ORDER BY {self.ORDER}{suffix}", [*self.params, *extra]
            )
        ]

    def _counts_and(
        self, key: str, rows_sql: str, rows_params: Sequence[Any]
    ) -> tuple[dict[Any, dict[str, int]], list[dict[str, Any]]]:
        """One query for what a page asks of the register twice: the counts by `key` and state
        (as `group_counts`) and the rows of `rows_sql` (a SELECT of `ROW_FIELDS` from the
        register named `r`). The register is computed once — each due date once — as a common
        table expression that both parts read."""
        counted = ", ".join(f"r.{c}" if c in (key, "dl_state") else "NULL" for c in ROW_FIELDS)
        columns = ", ".join(f"w.{c}" for c in ROW_FIELDS)
        # a union keeps no order: the rows carry their place in the register's order
        place = f"ROW_NUMBER() OVER (ORDER BY {self.ORDER.replace('r.', 'w.')})"
        query = (
            f"WITH r AS ({self.sql}) "
            f"SELECT 1, {columns}, {place} FROM ({rows_sql}) w "
            f"UNION ALL SELECT 0, {counted}, COUNT(*) FROM r GROUP BY r.{key}, r.dl_state"
        )
        counts: dict[Any, dict[str, int]] = defaultdict(dict)
        placed = []
        for part, *values, n in self._fetch(query, [*self.params, *rows_params]):
            if part:
                placed.append((n, _row(values)))
            else:
                row = dict(zip(ROW_FIELDS, values, strict=True))
                counts[row[key]][row["dl_state"]] = n
        return dict(counts), [row for _n, row in sorted(placed, key=lambda p: p[0])]

    def counts_and_page(
        self, key: str, within: Filter, start: int, size: int
    ) -> dict[Any, dict[str, int]]:
        """Counts by `key` and state over the register, and the rows `start`..`start + size` of
        its part `within` (kind, open only, states: see `Filter.where`) kept for the pager,
        which then counts and slices without a query (`known_count` from the counts)."""
        where, params = within.where("r")
        rows_sql = (
            f"SELECT {', '.join('r.' + c for c in ROW_FIELDS)} FROM r{where}"
            f" ORDER BY {self.ORDER} LIMIT %s OFFSET %s"
        )
        counts, rows = self._counts_and(key, rows_sql, [*params, size, start])
        self._slice = (start, size, rows)
        return counts

    def counts_and_first_per(
        self, key: str, window_key: str, n: int, states: frozenset[str] | None = None
    ) -> tuple[dict[Any, dict[str, int]], list[dict[str, Any]]]:
        """Counts by `key` and state, and `first_per(window_key, n)` of the rows in `states`,
        in one query."""
        where, params = Filter(states=states).where("r")
        rows_sql = (
            f"SELECT {', '.join('r.' + c for c in ROW_FIELDS)} FROM (SELECT r.*, ROW_NUMBER()"
            f" OVER (PARTITION BY r.{window_key} ORDER BY {self.ORDER}) AS dl_n FROM r{where}) r"
            " WHERE r.dl_n <= %s"
        )
        return self._counts_and(key, rows_sql, [*params, n])

    def known_count(self, n: int) -> None:
        """The number of rows, when an aggregate the caller ran already gives it."""
        self._count = n

    def count(self) -> int:
        if self._count is None:
            self._count = self._fetch(f"SELECT COUNT(*) FROM ({self.sql}) r", self.params)[0][0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("Register takes slices only")
        start = key.start or 0
        if self._slice is not None and key.stop is not None:
            kept_start, kept_size, kept = self._slice
            if start == kept_start and key.stop - start <= kept_size:
                return kept[: key.stop - start]
        if key.stop is None:
            return self._rows(
                " LIMIT -1 OFFSET %s" if connection.vendor == "sqlite" else " OFFSET %s", [start]
            )
        return self._rows(" LIMIT %s OFFSET %s", [max(0, key.stop - start), start])

    def group_counts(self, key: str) -> dict[Any, dict[str, int]]:
        """Counts by `key` and state, one aggregate: {key value: {state: n}}."""
        query = (
            f"SELECT r.{key}, r.dl_state, COUNT(*) FROM ({self.sql}) r GROUP BY r.{key}, r.dl_state"
        )
        result: dict[Any, dict[str, int]] = defaultdict(dict)
        for k, state, n in self._fetch(query, self.params):
            result[k][state] = n
        return dict(result)

    def first_per(self, key: str, n: int) -> list[dict[str, Any]]:
        """The `n` soonest rows of each value of `key` (a person, a kind): one query with a
        window function, whatever the number of items."""
        columns = ", ".join(f"r.{c}" for c in ROW_FIELDS)
        query = (
            f"SELECT {columns} FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.{key}"
            f" ORDER BY {self.ORDER}) AS dl_n FROM ({self.sql}) r) r"
            f" WHERE r.dl_n <= %s ORDER BY {self.ORDER}"
        )
        return [_row(values) for values in self._fetch(query, [*self.params, n])]

    def latest_due(self) -> date | None:
        return _date(self._fetch(f"SELECT MAX(r.dl_due) FROM ({self.sql}) r", self.params)[0][0])


def _row(values: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(ROW_FIELDS, values, strict=True))
    row["dl_due"], row["dl_done"] = _date(row["dl_due"]), _date(row["dl_done"])
    return row


def _date(value: Any) -> date | None:
    if isinstance(value, str):  # SQLite hands dates back as text
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def rows(*, today: date, flt: Filter | None = None) -> Register:
    """Every deadline of every kind under `flt`, soonest first (see `Register`)."""
    return Register(today=today, flt=flt)


def state_counts(*, today: date, flt: Filter | None = None) -> dict[str, dict[str, int]]:
    """Counts by kind and state, one aggregate over the register: {kind code: {state: n}}."""
    return rows(today=today, flt=flt).group_counts("dl_kind")


def responsible_counts(
    *, today: date, flt: Filter | None = None
) -> dict[int | None, dict[str, int]]:
    """Counts by responsible user and state, one aggregate: {user id or None: {state: n}}."""
    return rows(today=today, flt=flt).group_counts("dl_responsible")


def first_per(*, today: date, flt: Filter | None = None, key: str, n: int) -> list[dict[str, Any]]:
    return rows(today=today, flt=flt).first_per(key, n)


def materialise(page: Iterable[dict[str, Any]], *, today: date) -> list[DeadlineItem]:
    """The items of a page of `rows`, in its order: one query per kind on the page (by primary
    key), then one for the responsible users' names."""
    return [item for _row, item in materialise_rows(page, today=today)]


def materialise_rows(
    page: Iterable[dict[str, Any]], *, today: date
) -> list[tuple[dict[str, Any], DeadlineItem]]:
    """`materialise`, each item beside its row (a record gone meanwhile is left out). The
    records of every kind on the page and the responsible users' names are read in one round
    trip (`organisation.statements.run_together`)."""
    page = list(page)
    wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in page:
        wanted[(row["dl_kind"], row["dl_source"])].append(row["dl_record"])
    loads = [
        (kind, source, _records_later(kind, source, today, pks))
        for (code, source), pks in wanted.items()
        if (kind := kind_by_code(code)) is not None
    ]
    *loaded, users = statements.run_together([p for _k, _s, p in loads] + [_users_later(page)])
    names = _names(users)
    found: dict[tuple[str, int, int], DeadlineItem] = {}
    by_key = {(row["dl_kind"], row["dl_source"], row["dl_record"]): row for row in page}
    for (kind, source, _pending), records in zip(loads, loaded, strict=True):
        for obj in records:
            row = by_key[(kind.code, source, obj.pk)]
            # the deadline's columns as the register computed them, for `DeadlineKind.make`
            for name in ("dl_due", "dl_done", "dl_responsible", "dl_department"):
                setattr(obj, name, row[name])
            obj.dl_responsible_name = names.get(row["dl_responsible"], "")
            found[(kind.code, source, obj.pk)] = kind.item(obj)
    return [
        (row, found[key])
        for row in page
        if (key := (row["dl_kind"], row["dl_source"], row["dl_record"])) in found
    ]


@dataclass(frozen=True)
class _Records:
    """How a kind's source loads its records for display: the model, the related rows its
    `item` reads (select_related) and the columns (only/defer) — without the deadline's
    annotations and filters, which the register's row already gives."""

    model: type[models.Model]
    related: tuple[str, ...] | bool
    deferred: tuple[frozenset[str], bool]

    def queryset(self) -> QuerySet[Any]:
        # unordered: `materialise_rows` puts the records in the page's order itself
        qs = self.model._default_manager.order_by()
        if self.related is True:
            qs = qs.select_related()
        elif self.related:
            qs = qs.select_related(*self.related)
        names, defer = self.deferred
        if names:
            qs = qs.defer(*names) if defer else qs.only(*names)
        return qs


def _related_paths(tree: dict[str, Any], prefix: str = "") -> Iterator[str]:
    for name, sub in tree.items():
        yield f"{prefix}{name}"
        yield from _related_paths(sub, f"{prefix}{name}__")


_records_of: dict[tuple[DeadlineKind, int], _Records] = {}


def _records_later(
    kind: DeadlineKind, source: int, today: date, pks: list[int]
) -> statements.Pending:
    """The records `pks` of a kind's source for `materialise_rows`, in no order: the way to
    load them is read off the kind's queryset once (its shape does not change with the day or
    the post holders), and their SQL built once per number of records
    (`organisation.statements.instances_later`)."""
    recipe = _records_of.get((kind, source))
    if recipe is None:
        with same_people():
            query = kind.querysets(today=today)[source].query
        related = query.select_related
        recipe = _Records(
            model=query.model,  # type: ignore[arg-type]
            related=tuple(_related_paths(related)) if isinstance(related, dict) else related,
            deferred=(frozenset(query.deferred_loading[0]), query.deferred_loading[1]),
        )
        _records_of[(kind, source)] = recipe
    return statements.instances_later(
        ("deadline records", kind.code, source),
        lambda of: recipe.queryset().filter(pk__in=of),
        pks,
    )


def all_items(*, today: date, department_id: int | None = None) -> Iterator[DeadlineItem]:
    """Every item of every kind (tests, small data); pages use `rows` and `materialise`."""
    for kind in kinds():
        yield from kind.items(today=today, department_id=department_id)


def scope_of(user: User) -> Filter:
    """«Мои сроки»: what this user answers for (within the own department for its staff)."""
    from organisation import policy
    from organisation.models import DEPARTMENT_ROLES

    if not policy.reads_children(user):
        # waiting for the director's confirmation (no role), or a role without case content
        # (an account just made an administrator): nothing seen (no department is 0)
        return Filter(department_id=0, responsible_id=user.pk)
    department_id = user.department_id if user.role in DEPARTMENT_ROLES else None
    return Filter(department_id=department_id, responsible_id=user.pk)


def items_for_user(user: User, *, today: date, include_done: bool = False) -> list[DeadlineItem]:
    """«Мои сроки» as a list: what this user is responsible for, soonest first."""
    flt = replace(scope_of(user), open_only=not include_done)
    return materialise(rows(today=today, flt=flt), today=today)


BOARD_STATES = frozenset({State.OVERDUE, State.DUE_SOON})


def department_board(
    department_id: int, *, today: date, shown: int | None = None
) -> dict[str, tuple[list[DeadlineItem], int]]:
    """The head's board: open overdue and due-soon items of a department by responsible — the
    `shown` soonest of each person (all when None) and the person's count; three queries
    (counts, the window of rows, their records) plus one per kind shown."""
    flt = Filter(department_id=department_id, states=BOARD_STATES)
    if shown is None:
        counts = responsible_counts(today=today, flt=flt)
        selected = list(rows(today=today, flt=flt)) if counts else []
    else:
        counts, selected = rows(today=today, flt=flt).counts_and_first_per(
            "dl_responsible", "dl_responsible", shown
        )
    if not counts:
        return {}
    by_person: dict[int | None, list[DeadlineItem]] = defaultdict(list)
    for row, item in materialise_rows(selected, today=today):
        by_person[row["dl_responsible"]].append(item)
    board = {}
    for person, items in by_person.items():
        name = items[0].responsible_name or "Не назначен"
        board[name] = (items, sum(counts.get(person, {}).values()))
    return dict(sorted(board.items()))


def centre_summary(*, today: date, overdue_shown: int | None = None) -> list[dict[str, Any]]:
    """The director's summary: per kind, counts by state (one aggregate) and the earliest
    overdue items (`overdue_shown` of each kind, all when None; one window query)."""
    overdue_only = frozenset({State.OVERDUE.value})
    if overdue_shown is None:
        counts = state_counts(today=today)
        selected = list(rows(today=today, flt=Filter(states=overdue_only)))
    else:
        counts, selected = rows(today=today).counts_and_first_per(
            "dl_kind", "dl_kind", overdue_shown, states=overdue_only
        )
    overdue: dict[str, list[DeadlineItem]] = defaultdict(list)
    for row, item in materialise_rows(selected, today=today):
        overdue[row["dl_kind"]].append(item)
    result = []
    for kind in kinds():
        by_state = {s: counts.get(kind.code, {}).get(s.value, 0) for s in State}
        result.append(
            {
                "kind": kind,
                "counts": by_state,
                "overdue": overdue.get(kind.code, []),
                "overdue_count": by_state[State.OVERDUE],
            }
        )
    return result


def latest_open_due(*, today: date) -> date | None:
    """The latest due date of the open items (one query): how far the deadlines reach."""
    return rows(today=today, flt=Filter(open_only=True)).latest_due()


def years_needing_decree(*, today: date) -> list[int]:
    """The years the open deadlines reach whose production calendar is not confirmed."""
    latest = latest_open_due(today=today)
    dues = [date(y, 1, 1) for y in range(today.year, latest.year + 1)] if latest else []
    return calendar.years_needing_decree(today, dues)
