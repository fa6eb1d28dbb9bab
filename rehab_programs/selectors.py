"""Reads of the rehabilitation domain used by several views and by the deadline register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from organisation import calendar_sql, links, text
from organisation.models import User
from recipients.models import Recipient
from rehab_programs.models import (
    PRIMARY_DIAGNOSTICS_WORKING_DAYS,
    PROGRAMME_WORKING_DAYS,
    REVISION_MONTHS,
    Activity,
    Conclusion,
    Diagnostic,
    ProgrammeVersion,
    RehabProgramme,
    Stage,
    VersionStatus,
    primary_diagnostics_due,
    rehab_programme_due,
)

_PRIMARY = Q(
    diagnostics__stage=Stage.PRIMARY,
    diagnostics__archived_at__isnull=True,
    diagnostics__conducted_on__gte=F("first_day_of_stay"),
)


def with_primary_results(qs: QuerySet[Recipient]) -> QuerySet[Recipient]:
    """Annotates `primary_on`: the date of the last primary diagnostic of the current stay —
    the day the primary diagnostics results count as received (O15, O16)."""
    return qs.annotate(primary_on=Max("diagnostics__conducted_on", filter=_PRIMARY))


def primary_results_on() -> Subquery:
    """The day the primary diagnostics' results count as received (O15, O16) for the minor
    `OuterRef("pk")`: the last primary diagnostic of the current stay, as a subquery (what
    `with_primary_results` annotates, where calendar expressions must refer to it)."""
    return Subquery(
        Diagnostic.objects.filter(
            recipient=OuterRef("pk"),
            stage=Stage.PRIMARY,
            archived_at__isnull=True,
            conducted_on__gte=OuterRef("first_day_of_stay"),
        )
        .order_by("-conducted_on")
        .values("conducted_on")[:1],
        output_field=DateField(),
    )


def rehab_programmes_prefetch() -> Prefetch:
    return Prefetch(
        "rehab_programmes",
        queryset=RehabProgramme.objects.filter(archived_at__isnull=True)
        .select_related("curator")
        .prefetch_related("versions")
        .order_by("-drawn_up_on", "-pk"),
    )


@dataclass
class RehabStatus:
    """Where a minor stands: the three terms of O15, O16, O19 and what clears them."""

    recipient: Recipient
    primary_due: date | None
    primary_on: date | None
    programme: RehabProgramme | None
    programme_due: date | None
    revision_due: date | None
    today: date

    @property
    def primary_late(self) -> bool:
        if self.primary_due is None:
            return False
        done = self.primary_on
        return (done or self.today) > self.primary_due

    @property
    def programme_late(self) -> bool:
        if self.programme_due is None:
            return False
        done = self.programme.drawn_up_on if self.programme else None
        return (done or self.today) > self.programme_due

    @property
    def revision_late(self) -> bool:
        return self.revision_due is not None and self.today > self.revision_due


def status_of(recipient: Recipient, today: date) -> RehabStatus:
    """Needs `primary_on` annotated (`with_primary_results`) and `rehab_programmes`
    prefetched (`rehab_programmes_prefetch`), so a list costs no query per row."""
    stay = recipient.first_day_of_stay
    programme = None
    if stay is not None:
        programme = next(
            (p for p in recipient.rehab_programmes.all() if p.drawn_up_on >= stay), None
        )
    primary_on = getattr(recipient, "primary_on", None)
    return RehabStatus(
        recipient=recipient,
        primary_due=primary_diagnostics_due(stay) if stay else None,
        primary_on=primary_on,
        programme=programme,
        programme_due=rehab_programme_due(primary_on) if primary_on else None,
        revision_due=programme.revision_due if programme else None,
        today=today,
    )


def recipient_with_status(recipient_qs: QuerySet[Recipient], pk: int) -> Recipient:
    return (
        with_primary_results(recipient_qs).prefetch_related(rehab_programmes_prefetch()).get(pk=pk)
    )


# --- The register page: the terms of O15, O16, O19 in SQL -------------------------------------


@dataclass
class RegisterRow:
    """One minor of «Программы (ИПСРН)»: the same terms as `RehabStatus`, computed by the
    database (`register_rows`) for a page of the register without loading the programmes."""

    recipient: RegisterRecipient
    primary_due: date | None
    primary_on: date | None
    programme_id: int | None
    programme_on: date | None
    programme_in_force: bool
    programme_due: date | None
    revision_due: date | None
    today: date
    recipient_url: str
    programme_url: str | None

    @property
    def primary_late(self) -> bool:
        if self.primary_due is None:
            return False
        return (self.primary_on or self.today) > self.primary_due

    @property
    def programme_late(self) -> bool:
        if self.programme_due is None:
            return False
        return (self.programme_on or self.today) > self.programme_due

    @property
    def revision_late(self) -> bool:
        return self.revision_due is not None and self.today > self.revision_due


def _programme_of_stay() -> QuerySet[RehabProgramme]:
    """The programme `status_of` takes: the latest drawn up since the first day of stay."""
    return RehabProgramme.objects.filter(
        recipient=OuterRef("pk"),
        archived_at__isnull=True,
        drawn_up_on__gte=OuterRef("first_day_of_stay"),
    ).order_by("-drawn_up_on", "-pk")


def with_register_terms(qs: QuerySet[Recipient]) -> QuerySet[Recipient]:
    """Annotates what `RegisterRow` shows, as `status_of` computes it in Python: `primary_on`,
    the programme of the stay (`p_id`, `p_on`, `p_in_force`) and the due dates of O15, O16,
    O19 (`primary_due`, `programme_due`, `revision_due`, by `organisation.calendar_sql`), so
    that the late ones are filtered (`late_only`) and paginated in the database and a page
    costs one query however many programmes and versions its minors have."""
    approved = ProgrammeVersion.objects.filter(
        programme=OuterRef("pk"), status=VersionStatus.APPROVED
    )
    approved_on = Subquery(
        approved.filter(protocol_date__isnull=False)
        .order_by("-protocol_date")
        .values("protocol_date")[:1],
        output_field=DateField(),
    )
    # `RehabProgramme.last_reviewed_on`: the later of the last approval and the last
    # «continue without changes»; either may be missing (NULLs never win, on either database)
    reviewed = _programme_of_stay().annotate(
        reviewed=Greatest(
            Coalesce(approved_on, "continued_on"), Coalesce("continued_on", approved_on)
        )
    )
    return (
        qs.annotate(
            primary_on=primary_results_on(),
            p_id=Subquery(_programme_of_stay().values("pk")[:1], output_field=IntegerField()),
            p_on=Subquery(_programme_of_stay().values("drawn_up_on")[:1], output_field=DateField()),
            p_in_force=Subquery(
                _programme_of_stay().annotate(f=Exists(approved)).values("f")[:1],
                output_field=BooleanField(),
            ),
            p_reviewed=Subquery(reviewed.values("reviewed")[:1], output_field=DateField()),
        )
        .annotate(
            primary_due=calendar_sql.add_working_days(
                "first_day_of_stay", PRIMARY_DIAGNOSTICS_WORKING_DAYS
            ),
            programme_due=calendar_sql.add_working_days("primary_on", PROGRAMME_WORKING_DAYS),
            p_review_end=calendar_sql.AddMonths("p_reviewed", REVISION_MONTHS),
        )
        .annotate(revision_due=calendar_sql.next_working_day("p_review_end"))
    )


def late_only(qs: QuerySet[Recipient], today: date) -> QuerySet[Recipient]:
    """Of a queryset `with_register_terms`, the minors with a term broken on `today`: as
    `RegisterRow.primary_late`, `programme_late` and `revision_late` (a missing due date is
    never late; a term not yet met counts against today)."""
    on = Value(today, output_field=DateField())
    return qs.filter(
        Q(primary_due__lt=Coalesce("primary_on", on))
        | Q(programme_due__lt=Coalesce("p_on", on))
        | Q(revision_due__lt=on)
    )


@dataclass(frozen=True, slots=True)
class RegisterRecipient:
    """The minor of a `RegisterRow`: what the register shows of them."""

    pk: int
    full_name: str
    department: str
    first_day_of_stay: date | None


# The columns of a row of the register, as `_register_sql` selects them.
_REGISTER_FIELDS = (
    "pk",
    "last_name",
    "first_name",
    "patronymic",
    "first_day_of_stay",
    "department__name",
    "department__short_name",
    "primary_on",
    "p_id",
    "p_on",
    "p_in_force",
    "primary_due",
    "programme_due",
    "revision_due",
)


@lru_cache(maxsize=128)
def _register_sql(
    vendor: str,
    scope: int | str,
    today: date,
    period: tuple[tuple[str, Any], ...] | None,
    late: bool,
) -> tuple[str, tuple[Any, ...], tuple[str, ...], str, tuple[Any, ...]]:
    """The SQL of the register's rows (in the order of names, with the columns named), and of
    its count, built by the ORM once for a scope, a day, a period and the late-only switch
    (the terms' subqueries cost several milliseconds of Python to build and compile, and
    depend on nothing else)."""
    qs: QuerySet[Recipient]
    if period is None:
        qs = Recipient.objects.in_scope(scope).enrolled(today).filter(archived_at__isnull=True)
    else:
        qs = programmes_drawn_between(scope, **dict(period))
    qs = with_register_terms(qs)
    if late:
        qs = late_only(qs, today)
    rows = qs.order_by("last_name", "first_name", "pk").values(*_REGISTER_FIELDS)
    sql, params = rows.query.sql_with_params()
    query = rows.query
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    counted, count_params = qs.order_by().values("pk").query.sql_with_params()
    count_sql = f"SELECT COUNT(*) FROM ({counted}) c"
    return sql, tuple(params), names, count_sql, tuple(count_params)


def _date(value: Any) -> date | None:
    """A date column of raw SQL: SQLite gives the text of a computed one."""
    return date.fromisoformat(value) if isinstance(value, str) else value


class Register:
    """The minors of «Программы (ИПСРН)» with the terms of O15, O16, O19, in the order of
    their names: counted and sliced by the database like a queryset (for the paginator), each
    slice as `RegisterRow`s."""

    def __init__(
        self,
        scope: int | str | None,
        today: date,
        period: dict[str, Any] | None = None,
        late: bool = False,
    ) -> None:
        self.today = today
        self._sql = (
            None
            if scope is None
            else _register_sql(
                connection.vendor,
                scope,
                today,
                None if period is None else tuple(sorted(period.items())),
                late,
            )
        )
        self._count: int | None = None

    def _fetch(self, sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def count(self) -> int:
        if self._count is None:
            if self._sql is None:
                self._count = 0
            else:
                _sql, _params, _names, count_sql, count_params = self._sql
                self._count = self._fetch(count_sql, count_params)[0][0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[RegisterRow]:
        if not isinstance(key, slice) or key.step is not None or key.stop is None:
            raise TypeError("the register takes bounded slices only")
        if self._sql is None:
            return []
        sql, params, names, _count_sql, _count_params = self._sql
        start = key.start or 0
        values = self._fetch(
            f"{sql} LIMIT %s OFFSET %s", [*params, max(key.stop - start, 0), start]
        )
        return register_rows([dict(zip(names, v, strict=True)) for v in values], self.today)


def register_rows(rows: Iterable[dict[str, Any]], today: date) -> list[RegisterRow]:
    """`RegisterRow`s of the register's rows (`_REGISTER_FIELDS`), with their links."""
    recipient_url = links.by_pk("rehab_programs:recipient")
    programme_url = links.by_pk("rehab_programs:programme")
    return [
        RegisterRow(
            recipient=RegisterRecipient(
                pk=r["pk"],
                full_name=text.full_name(r["last_name"], r["first_name"], r["patronymic"]),
                department=r["department__short_name"] or r["department__name"],
                first_day_of_stay=_date(r["first_day_of_stay"]),
            ),
            primary_due=_date(r["primary_due"]),
            primary_on=_date(r["primary_on"]),
            programme_id=r["p_id"],
            programme_on=_date(r["p_on"]),
            programme_in_force=bool(r["p_in_force"]),
            programme_due=_date(r["programme_due"]),
            revision_due=_date(r["revision_due"]),
            today=today,
            recipient_url=recipient_url(r["pk"]),
            programme_url=programme_url(r["p_id"]) if r["p_id"] else None,
        )
        for r in rows
    ]


def register_page(
    user: User, today: date, *, period: dict[str, Any] | None = None, late: bool = False
) -> Register:
    """The minors of «Программы (ИПСРН)» the user may see with only what the page shows: the
    enrolled ones, or with a `period` (`date_from`, `date_to`, `department`) those whose ИПСРН
    was drawn up in it (`programmes_drawn_between`); with `late`, those with a term broken on
    `today` (`late_only`)."""
    return Register(Recipient.objects.scope_of(user), today, period, late)


def programmes_drawn_between(
    scope: int | str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    department: int | None = None,
) -> QuerySet[Recipient]:
    """Minors of a scope (`ScopedQuerySet.scope_of`; enrolled or not) with an ИПСРН drawn up
    in the period — the records behind the report's «Составлено ИПСРН»."""
    programmes = RehabProgramme.objects.filter(archived_at__isnull=True)
    if date_from:
        programmes = programmes.filter(drawn_up_on__gte=date_from)
    if date_to:
        programmes = programmes.filter(drawn_up_on__lte=date_to)
    qs = Recipient.objects.in_scope(scope).filter(
        archived_at__isnull=True, pk__in=programmes.values("recipient")
    )
    if department:
        qs = qs.filter(department_id=department)
    return qs


def rehab_programme_page(programme_qs: QuerySet[RehabProgramme]) -> Any:
    """A programme with everything its page and its PDF show, in a fixed number of queries."""
    return (
        programme_qs.select_related("recipient__department", "curator", "parent_familiarised")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProgrammeVersion.objects.select_related("proposed_by").prefetch_related(
                    "diagnostics__conducted_by"
                ),
            )
        )
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.select_related(
                    "service__parent", "responsible", "added_in", "removed_in"
                ).order_by("due_on", "pk"),
            ),
        )
    )


def split_activities(programme: RehabProgramme) -> dict[str, list[Activity]]:
    """The activities in force, those proposed for the open version, those withdrawn."""

    open_version = programme.open_version
    result: dict[str, list[Activity]] = {"current": [], "proposed": [], "removed": []}
    for a in programme.activities.all():
        if a.is_in_force:
            result["current"].append(a)
        elif (
            open_version is not None
            and a.added_in_id == open_version.pk
            and a.removed_in_id is None
        ):
            result["proposed"].append(a)
        elif a.removed_in_id is not None and a.added_in.status == "approved":
            result["removed"].append(a)
    return result


def diagnostics_of(recipient: Recipient) -> QuerySet[Diagnostic]:
    return (
        Diagnostic.objects.active()
        .filter(recipient=recipient)
        .select_related("conducted_by", "service_record__service")
    )


def rehab_programme_for_stay(recipient: Recipient) -> RehabProgramme | None:
    """The programme of the current (or last) stay of the minor."""
    qs = RehabProgramme.objects.filter(recipient=recipient, archived_at__isnull=True)
    if recipient.first_day_of_stay:
        qs = qs.filter(drawn_up_on__gte=recipient.first_day_of_stay)
    return qs.order_by("-drawn_up_on", "-pk").first()


def activities_in_work() -> QuerySet[Activity]:
    """The activities a specialist still has to carry out: in force (added by an approved
    version and not withdrawn by one, O20), not done yet, of the programme of the child's
    current stay, not archived — in SQL, for «Мой день». The caller scopes and narrows it (by
    child, by responsible)."""
    return Activity.objects.filter(
        added_in__status=VersionStatus.APPROVED,
        done_on__isnull=True,
        programme__archived_at__isnull=True,
        programme__drawn_up_on__gte=F("programme__recipient__first_day_of_stay"),
    ).exclude(removed_in__status=VersionStatus.APPROVED)


@dataclass
class StayEnd:
    """What the end of a stay rests on (O21, O25, O37): the final diagnostics of the current
    stay, the latest conclusion drawn up on them and whether the parent received it."""

    final_diagnostics: list[Diagnostic]
    conclusion: Conclusion | None

    @property
    def decision(self) -> Diagnostic | None:
        """The latest final diagnostic that recorded a decision about ending the service."""
        decided = [d for d in self.final_diagnostics if d.ending_advisable is not None]
        return decided[0] if decided else None


def stay_end(recipient: Recipient) -> StayEnd:
    """Two queries: the final diagnostics and the conclusion of the current stay, newest first."""
    since = recipient.first_day_of_stay
    finals = Diagnostic.objects.filter(
        recipient=recipient, stage=Stage.FINAL, archived_at__isnull=True
    ).select_related("conducted_by")
    conclusions = Conclusion.objects.filter(recipient=recipient, archived_at__isnull=True)
    if since is not None:
        finals = finals.filter(conducted_on__gte=since)
        conclusions = conclusions.filter(drawn_up_on__gte=since)
    return StayEnd(
        final_diagnostics=list(finals.order_by("-conducted_on", "-pk")),
        conclusion=conclusions.select_related("received_by")
        .order_by("-drawn_up_on", "-pk")
        .first(),
    )
