"""Workflows of the organisation app: deadline notifications, the production calendar loaded
for a year, the centre's working days off (workflow notifications: organisation/notifications)."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from organisation import calendar, policy
from organisation.deadlines import (
    DeadlineItem,
    Filter,
    State,
    escalation_due,
    materialise_rows,
    same_people,
    years_needing_decree,
)
from organisation.deadlines import rows as deadline_rows
from organisation.idempotency import forget_old_submissions
from organisation.models import (
    ROLE_BY_POSITION,
    CentreWorkDay,
    Department,
    Notification,
    NotificationEvent,
    QualificationUpgrade,
    User,
)
from organisation.selectors import heads_by_department, who_may_be_told
from organisation.text import with_plural

logger = logging.getLogger(__name__)

JOB_BATCH = 1000  # items turned into notifications at a time (one query per kind each)
NOTIFICATION_FORMS = ("уведомление", "уведомления", "уведомлений")


@dataclass
class NotifyResult:
    created: int = 0
    emailed: int = 0
    skipped_non_working_day: bool = False
    # Years the deadlines reach into whose production calendar is not confirmed (no decree).
    years_needing_decree: list[int] = field(default_factory=list)


def notify_deadlines(*, today: date | None = None, force: bool = False) -> NotifyResult:
    """The daily deadline job: on a working day, tell each responsible user about items that
    became due soon or overdue, and escalate to the department head an item that stayed overdue
    one more working day. Idempotent: a notification exists once per user, item, event and due
    date, so a second run (or a rerun after a worker died) adds nothing twice."""
    today = today or timezone.localdate()
    result = NotifyResult()
    calendar.sync_days()  # the table the deadline queries join follows the calendar
    forget_old_submissions()
    if not force and not calendar.is_working_day(today):
        result.skipped_non_working_day = True
        return result

    heads = heads_by_department()
    reach = who_may_be_told()
    wanted: list[Notification] = []
    # The database picks the open items that are due soon or overdue (one query over every
    # kind); only those are turned into items, a batch at a time.
    flt = Filter(open_only=True, states=frozenset({State.DUE_SOON, State.OVERDUE}))
    with same_people():  # the post holders read once for the whole job
        selected = list(deadline_rows(today=today, flt=flt))
        for start in range(0, len(selected), JOB_BATCH):
            batch = selected[start : start + JOB_BATCH]
            for row, item in materialise_rows(batch, today=today):
                wanted.extend(_notifications_of(item, row["dl_state"], today, heads, reach))
    # Skip what was already sent (one query), then insert the rest; the unique constraint
    # still guards against a concurrent run.
    existing = (
        set(
            Notification.objects.filter(
                kind__in={n.kind for n in wanted}, due__in={n.due for n in wanted}
            ).values_list("user_id", "kind", "item_key", "event", "due")
        )
        if wanted
        else set()
    )
    new = [n for n in wanted if (n.user_id, n.kind, n.item_key, n.event, n.due) not in existing]
    with transaction.atomic():
        Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    result.created = len(new)
    result.emailed = send_pending_emails()
    result.years_needing_decree = years_needing_decree(today=today)
    if result.years_needing_decree:
        logger.warning(
            "Production calendar not confirmed for %s: load the decree's calendar",
            result.years_needing_decree,
        )
    return result


def _notifications_of(
    item: DeadlineItem,
    state: str,
    today: date,
    heads: dict[int, User],
    reach: dict[int, int | None],
) -> list[Notification]:
    """The notifications one due-soon or overdue item calls for: its responsible user, and the
    head once it has stayed overdue one more working day. The item names a child or a family:
    a responsible user who may no longer see its department (moved to another one, waiting
    for the director's confirmation, switched off) is not told — the head is, to assign
    someone."""
    result = []
    event = NotificationEvent.DUE_SOON if state == State.DUE_SOON else NotificationEvent.OVERDUE
    verb = "срок подходит" if state == State.DUE_SOON else "срок нарушен"
    message = f"{item.kind.label}: {item.title} — {verb} ({item.due:%d.%m.%Y})"
    head = heads.get(item.department_id) if item.department_id else None
    if item.responsible_id:
        if _may_be_told(reach, item.responsible_id, item.department_id):
            result.append(_notification(item.responsible_id, item, event, message))
        elif head is not None:
            who = item.responsible_name or "сотрудник"
            lost = f"Ответственному ({who}) запись больше не доступна: назначьте другого. "
            result.append(_notification(head.pk, item, event, lost + message))
    escalate = state == State.OVERDUE and today > escalation_due(item.due)
    if escalate and head and head.pk != item.responsible_id:
        who = item.responsible_name or "не назначен"
        result.append(
            _notification(
                head.pk,
                item,
                NotificationEvent.ESCALATED,
                f"Просрочено (ответственный: {who}). {message}",
            )
        )
    return result


def _may_be_told(reach: dict[int, int | None], user_id: int, department_id: int | None) -> bool:
    if user_id not in reach:
        return False
    seen = reach[user_id]
    return seen is None or seen == department_id


def _notification(user_id: int, item, event: str, message: str) -> Notification:  # type: ignore[no-untyped-def]
    return Notification(
        user_id=user_id,
        kind=item.kind.code,
        item_key=item.key,
        event=event,
        due=item.due,
        message=message[:500],
        url=item.url,
    )


CLAIM_EXPIRES_SECONDS = 3600  # a claim older than this belongs to a worker that died


def _claim_token(now: float) -> str:
    """A claim starts with its time (ten digits), so a stale claim sorts below a cutoff."""
    return f"{int(now):010d}-{uuid.uuid4().hex[:20]}"


def _still_in_scope() -> Q:
    """Notifications whose user's role reads case content and whose position and department
    have not changed since they were made."""
    readers = [p for p, role in ROLE_BY_POSITION.items() if role in policy.CHILDREN_READERS]
    return Q(user__position__in=readers) & (
        Q(user__scope_changed_at__isnull=True) | Q(created_at__gte=F("user__scope_changed_at"))
    )


def send_pending_emails(limit: int = 5000) -> int:
    """E-mail the notifications not yet e-mailed, one letter per user. They are claimed first
    with one conditional update carrying this run's token, so two workers never send the same
    notification. A notification counts as e-mailed only once its letter went out: when the
    mail server refuses, the claim is released and the next run sends it again; a claim left
    by a worker that died is taken over after an hour."""
    now = time.time()
    token = _claim_token(now)
    stale = f"{int(now - CLAIM_EXPIRES_SECONDS):010d}"
    unclaimed = Q(email_claim="") | Q(email_claim__lt=stale)
    pending = list(
        Notification.objects.filter(unclaimed, emailed_at__isnull=True)
        .exclude(user__email="")
        # an address (or a position) the director has not confirmed yet receives no letter
        .filter(user__is_active=True, user__awaiting_confirmation=False)
        # what names a child goes only to a role that reads case content, and only for the
        # scope it was told for (the bell's rule, `selectors.notifications_for`)
        .filter(Q(event=NotificationEvent.ACCOUNT) | _still_in_scope())
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return 0
    Notification.objects.filter(unclaimed, pk__in=pending, emailed_at__isnull=True).update(
        email_claim=token
    )
    claimed = (
        Notification.objects.filter(email_claim=token)
        .select_related("user")
        .order_by("user_id", "due")
    )
    letters = 0
    for user, group in groupby(claimed, key=attrgetter("user")):
        notes = list(group)
        ids = [n.pk for n in notes]
        lines = [f"— {n.message}\n  {settings.SITE_URL.rstrip('/')}{n.url}" for n in notes]
        try:
            send_mail(
                subject="СРЦН: " + with_plural(len(notes), *NOTIFICATION_FORMS),
                message=f"{user.first_name} {user.patronymic},\n\n" + "\n".join(lines),
                from_email=None,
                recipient_list=[user.email],
            )
        except Exception:  # a mail server down must not stop the job; the next run retries
            logger.exception("could not e-mail %s notifications to user %s", len(notes), user.pk)
            Notification.objects.filter(pk__in=ids, email_claim=token).update(email_claim="")
            continue
        Notification.objects.filter(pk__in=ids, email_claim=token).update(emailed_at=timezone.now())
        letters += 1
    return letters


def mark_notifications_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- The production calendar beyond its built-in years -----------------------------------------


@dataclass
class LoadedYear:
    year: int
    days_off: int
    corrections: int


@transaction.atomic
def load_calendar_year(
    *, year: int, content: bytes, filename: str, source: str, loaded_by: User
) -> LoadedYear:
    """Load a whole year of the production calendar from the official open-data file (CSV or
    XML, see `organisation.calendar_files`): the year's corrections are replaced by the days
    where the file differs from the built-in count, and the year becomes confirmed."""
    from django.core.exceptions import ValidationError

    from organisation.calendar_files import CalendarFileError, read_year
    from organisation.models import CalendarDay, CalendarYear

    policy.require(loaded_by, "organisation.change_calendaryear")
    if not source.strip():
        raise ValidationError({"source": "Укажите постановление о переносе выходных дней."})
    try:
        days_off = read_year(content, year, filename)
    except CalendarFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    note = f"{source.strip()} (загружено из файла {filename})"[:300]
    rows = []
    first = date(year, 1, 1)
    d = first
    while d.year == year:
        working = d not in days_off
        if working != calendar.built_in_is_working(d):
            rows.append(CalendarDay(date=d, is_working=working, note=note, created_by=loaded_by))
        d += timedelta(days=1)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(rows)
    CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source.strip()[:300], "created_by": loaded_by}
    )
    calendar.sync_days()  # clears the cache and brings the table of working days in step
    return LoadedYear(year=year, days_off=len(days_off), corrections=len(rows))


@transaction.atomic
def mark_centre_work_day(
    *, day: date, note: str, marked_by: User, department: Department | None = None
) -> CentreWorkDay:
    """A day off on which the centre works (a summer camp, an event): services logged on it
    are not warned about."""
    from django.core.exceptions import ValidationError

    policy.require(marked_by, "organisation.add_centreworkday")
    if calendar.is_working_day(day):
        raise ValidationError({"date": "Это рабочий день по производственному календарю."})
    if not note.strip():
        raise ValidationError({"note": "Укажите основание (приказ, план работы)."})
    if CentreWorkDay.objects.filter(date=day, department=department).exists():
        raise ValidationError({"date": "Этот день уже отмечен."})
    return CentreWorkDay.objects.create(
        date=day, department=department, note=note.strip(), created_by=marked_by
    )


def day_off_warning(day: date, department_id: int | None) -> str:
    """The warning a form shows for a record dated on a day off that the centre did not mark as
    worked (a day-stay centre does not work then): "" on a working day."""
    if centre_works_on(day, department_id):
        return ""
    return (
        f"{day:%d.%m.%Y} — нерабочий день по производственному календарю, и центр не отмечал "
        "его рабочим: проверьте дату. Рабочие выходные (лагерь, мероприятие) отмечает "
        "администратор."
    )


def centre_works_on(day: date, department_id: int | None) -> bool:
    """Whether `day` is a working day for the department: by the calendar, or marked."""
    if calendar.is_working_day(day):
        return True
    marked = CentreWorkDay.objects.filter(date=day)
    return marked.filter(
        models.Q(department__isnull=True) | models.Q(department_id=department_id)
    ).exists()


# --- Qualification upgrades of staff (O40, §4.3) -----------------------------------------------


@transaction.atomic
def record_qualification_upgrade(
    *,
    employee: User,
    recorded_by: User,
    course: str,
    hours: int,
    completed_on: date,
    document: str,
    provider: str = "",
    started_on: date | None = None,
) -> QualificationUpgrade:
    """O40: a completed course of professional development, recorded by the employee's head or
    the administrator who keeps the staff list."""
    from django.core.exceptions import ValidationError

    from organisation import policy
    from organisation.models import DEPARTMENT_POSITIONS

    policy.require(
        recorded_by,
        "organisation.add_qualificationupgrade",
        department=employee.department,
        message="Записывать повышение квалификации может заведующий отделением.",
    )
    if employee.position not in DEPARTMENT_POSITIONS or employee.department is None:
        raise ValidationError({"employee": "Выберите специалиста или заведующего отделением."})
    errors: dict[str, list[str]] = {}
    if completed_on > timezone.localdate():
        errors["completed_on"] = ["Дата окончания не может быть в будущем."]
    if started_on is not None and started_on > completed_on:
        errors["started_on"] = ["Начало обучения не может быть позже окончания."]
    if hours < 1:
        errors["hours"] = ["Укажите объём программы в часах."]
    if errors:
        raise ValidationError(errors)
    upgrade = QualificationUpgrade(
        employee=employee,
        course=course.strip(),
        provider=provider.strip(),
        hours=hours,
        started_on=started_on,
        completed_on=completed_on,
        document=document.strip(),
        created_by=recorded_by,
    )
    upgrade.full_clean()
    upgrade.save()
    return upgrade
