"""One register of deadlines.

Each kind of deadline is defined once, where its domain lives (`<app>/deadlines.py`), as a
`DeadlineKind` subclass, and listed in one place: the registry `kinds()` below. A kind turns the
records of its domain into `DeadlineItem`s — what is due, by when, who is responsible, when it
was done — with one query. The state (в срок / срок подходит / просрочено / выполнено с
опозданием / выполнено) is derived from the dates at read time; nothing here is stored except the
notifications sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models

from organisation import calendar

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
    if done_on is not None:
        return State.DONE if done_on <= due else State.DONE_LATE
    if today > due:
        return State.OVERDUE
    if calendar.working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return State.DUE_SOON
    return State.ON_TIME


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


class DeadlineKind:
    """A kind of deadline. Subclasses set the class attributes and implement `items`."""

    code: ClassVar[str]  # stable identifier, stored with notifications
    label: ClassVar[str]  # «Регистрация обращения»
    rules: ClassVar[str] = ""  # the regulation's rule ids, e.g. "P2, P3"

    def items(self, *, today: date, department_id: int | None = None) -> Iterable[DeadlineItem]:
        """Items of this kind that are open, or were closed recently (for "done late"), within
        one department when `department_id` is given; one query for the whole set."""
        raise NotImplementedError


class DepartmentHeads:
    """The rule of the kinds the head of the department answers for: each record's item goes
    to the head of its department (all heads fetched in one query); nobody while the post is
    vacant."""

    def __init__(self, department_ids: Iterable[int]) -> None:
        from organisation.selectors import heads_by_department

        self._heads = heads_by_department(department_ids)

    def head(self, department_id: int) -> User | None:
        return self._heads.get(department_id)

    def item(
        self,
        kind: DeadlineKind,
        *,
        department_id: int,
        key: str,
        title: str,
        due: date,
        url: str,
        done_on: date | None = None,
    ) -> DeadlineItem:
        """An item of `kind` in `department_id`, the head of that department responsible."""
        head = self.head(department_id)
        return DeadlineItem(
            kind=kind,
            key=key,
            title=title,
            due=due,
            url=url,
            done_on=done_on,
            responsible_id=head.pk if head else None,
            responsible_name=head.short_name if head else "",
            department_id=department_id,
        )


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


def all_items(*, today: date, department_id: int | None = None) -> Iterator[DeadlineItem]:
    for kind in kinds():
        yield from kind.items(today=today, department_id=department_id)


def items_for_user(user: User, *, today: date, include_done: bool = False) -> list[DeadlineItem]:
    """«Мои сроки»: what this user is responsible for, soonest first."""
    from organisation.models import DEPARTMENT_ROLES

    department_id = user.department_id if user.role in DEPARTMENT_ROLES else None
    items = [
        i
        for i in all_items(today=today, department_id=department_id)
        if i.responsible_id == user.pk and (include_done or i.is_open())
    ]
    return sorted(items, key=lambda i: (i.due, i.kind.label, i.title))


def department_board(department_id: int, *, today: date) -> dict[str, list[DeadlineItem]]:
    """The head's board: open overdue and due-soon items of a department, by responsible."""
    board: dict[str, list[DeadlineItem]] = {}
    for item in all_items(today=today, department_id=department_id):
        if item.is_open() and item.state(today) in (State.OVERDUE, State.DUE_SOON):
            board.setdefault(item.responsible_name or "Не назначен", []).append(item)
    for items in board.values():
        items.sort(key=lambda i: (i.due, i.title))
    return dict(sorted(board.items()))


def centre_summary(*, today: date) -> list[dict[str, Any]]:
    """The director's summary: per kind, counts by state and the overdue items."""
    rows = []
    for kind in kinds():
        counts = dict.fromkeys(State, 0)
        overdue = []
        for item in kind.items(today=today):
            s = item.state(today)
            counts[s] += 1
            if s == State.OVERDUE:
                overdue.append(item)
        overdue.sort(key=lambda i: i.due)
        rows.append({"kind": kind, "counts": counts, "overdue": overdue})
    return rows
