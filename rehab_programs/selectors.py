"""Reads of the rehabilitation domain used by several views and by the deadline register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

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

from organisation import calendar_sql, links
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

    recipient: Recipient
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
    last_primary = (
        Diagnostic.objects.filter(
            recipient=OuterRef("pk"),
            stage=Stage.PRIMARY,
            archived_at__isnull=True,
            conducted_on__gte=OuterRef("first_day_of_stay"),
        )
        .order_by("-conducted_on")
        .values("conducted_on")[:1]
    )
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
            primary_on=Subquery(last_primary, output_field=DateField()),
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


def register_rows(qs: Iterable[Any], today: date) -> list[RegisterRow]:
    """The rows of a page of a queryset `with_register_terms`, with their links."""
    recipient_url = links.by_pk("rehab_programs:recipient")
    programme_url = links.by_pk("rehab_programs:programme")
    return [
        RegisterRow(
            recipient=r,
            primary_due=r.primary_due,
            primary_on=r.primary_on,
            programme_id=r.p_id,
            programme_on=r.p_on,
            programme_in_force=bool(r.p_in_force),
            programme_due=r.programme_due,
            revision_due=r.revision_due,
            today=today,
            recipient_url=recipient_url(r.pk),
            programme_url=programme_url(r.p_id) if r.p_id else None,
        )
        for r in qs
    ]


def register_page(user: User, *, period: dict[str, Any] | None = None) -> Any:
    """The minors of «Программы (ИПСРН)» with only what the page shows: the enrolled ones, or
    with a `period` (`date_from`, `date_to`, `department`) those whose ИПСРН was drawn up in
    it (`programmes_drawn_between`); in the order of their names."""
    qs: QuerySet[Recipient]
    if period is None:
        qs = Recipient.objects.visible_to(user).enrolled().filter(archived_at__isnull=True)
    else:
        qs = programmes_drawn_between(user, **period)
    return with_register_terms(
        qs.select_related("department")
        .only(
            "pk",
            "last_name",
            "first_name",
            "patronymic",
            "first_day_of_stay",
            "department__name",
            "department__short_name",
        )
        .order_by("last_name", "first_name", "pk")
    )


def programmes_drawn_between(
    user: User,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    department: int | None = None,
) -> QuerySet[Recipient]:
    """Minors the user may see (enrolled or not) with an ИПСРН drawn up in the period — the
    records behind the report's «Составлено ИПСРН»."""
    programmes = RehabProgramme.objects.filter(archived_at__isnull=True)
    if date_from:
        programmes = programmes.filter(drawn_up_on__gte=date_from)
    if date_to:
        programmes = programmes.filter(drawn_up_on__lte=date_to)
    qs = Recipient.objects.visible_to(user).filter(
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
