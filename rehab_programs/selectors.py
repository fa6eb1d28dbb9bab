"""Reads of the rehabilitation domain used by several views and by the deadline register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Max, Prefetch, Q, QuerySet

from organisation.models import User
from recipients.models import Recipient
from rehab_programs.models import (
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


def rehab_register(user: User) -> QuerySet[Recipient]:
    """Enrolled minors the user may see, ready for `status_of`."""
    return (
        with_primary_results(
            Recipient.objects.visible_to(user).enrolled().filter(archived_at__isnull=True)
        )
        .select_related("department")
        .prefetch_related(rehab_programmes_prefetch())
        .order_by("last_name", "first_name", "pk")
    )


def programmes_drawn_between(
    user: User,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    department: int | None = None,
) -> QuerySet[Recipient]:
    """Minors the user may see (enrolled or not) with an ИПСРН drawn up in the period, each once,
    ready for `status_of` — the records behind the report's «Составлено ИПСРН»."""
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
    return (
        with_primary_results(qs)
        .select_related("department")
        .prefetch_related(rehab_programmes_prefetch())
        .order_by("last_name", "first_name", "pk")
    )


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
