"""Deadlines of the recipients' domain (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone

from organisation import calendar
from organisation.deadlines import DeadlineItem, DeadlineKind, DepartmentHeads
from recipients.models import (
    CIRCUMSTANCE_REVIEW_WORKING_DAYS,
    INFORMATION_WORKING_DAYS,
    CircumstanceChange,
    Contract,
    ContractTerm,
    Hospitalisation,
    IdentityDocumentKind,
    InformationRequest,
    Recipient,
    RecipientStatus,
)


def anniversary(birth_date: date, years: int) -> date:
    """The day a person born on `birth_date` turns `years` (29 February → 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return date(birth_date.year + years, 3, 1)


class EighteenthBirthday(DeadlineKind):
    """O1: recipients are minors; service ends by the 18th birthday. The head is responsible."""

    code = "recipient_18"
    label = "Достижение 18 лет: прекращение обслуживания"
    rules = "O1"
    horizon_days = 60  # shown from two months before the birthday

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        latest_birth = anniversary(today + timedelta(days=self.horizon_days), -18)
        qs = Recipient.objects.filter(
            status=RecipientStatus.ENROLLED, archived_at__isnull=True, birth_date__lte=latest_birth
        )
        if department_id is not None:
            qs = qs.filter(department_id=department_id)
        recipients = list(
            qs.only("pk", "last_name", "first_name", "patronymic", "birth_date", "department_id")
        )
        heads = DepartmentHeads(r.department_id for r in recipients)
        items = []
        for r in recipients:
            due = anniversary(r.birth_date, 18)
            items.append(
                heads.item(
                    self,
                    key=f"recipient:{r.pk}",
                    title=f"{r.short_name}: 18 лет {due:%d.%m.%Y} — снять с обслуживания",
                    due=due,
                    url=reverse("recipients:detail", args=[r.pk]),
                    department_id=r.department_id,
                )
            )
        return items


class ContractTermEnding(DeadlineKind):
    """A temporary contract ends (O4, O23): extend it or prepare the discharge. The head is
    responsible; shown from 30 days before the last day."""

    code = "contract_end"
    label = "Окончание срока договора"
    rules = "O4, O23"
    horizon_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        later = Contract.objects.filter(
            recipient_id=models.OuterRef("recipient_id"),
            concluded_on__gt=models.OuterRef("concluded_on"),
            archived_at__isnull=True,
        )
        qs = (
            Contract.objects.filter(
                term=ContractTerm.TEMPORARY,
                archived_at__isnull=True,
                valid_until__isnull=False,
                valid_until__lte=today + timedelta(days=self.horizon_days),
                recipient__status=RecipientStatus.ENROLLED,
            )
            .exclude(models.Exists(later))
            .select_related("recipient")
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        contracts = list(qs)
        heads = DepartmentHeads(c.recipient.department_id for c in contracts)
        items = []
        for c in contracts:
            assert c.valid_until is not None
            items.append(
                heads.item(
                    self,
                    key=f"contract:{c.pk}",
                    title=f"{c.recipient.short_name}: договор № {c.number} действует до "
                    f"{c.valid_until:%d.%m.%Y} — продлить или снять с обслуживания",
                    due=c.valid_until,
                    url=c.recipient.get_absolute_url(),
                    department_id=c.recipient.department_id,
                )
            )
        return items


class FourteenthBirthday(DeadlineKind):
    """At 14 a passport replaces the birth certificate in the personal file (O27). A citizen
    applies for the passport within 90 days of turning 14 (a term in days: art. 191, 193 of the
    Civil Code); the head sees it from a month before the birthday until the passport is
    recorded on the card."""

    code = "recipient_14"
    label = "14 лет: паспорт в личное дело"
    rules = "O27"
    term_days = 90
    horizon_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        latest_birth = anniversary(today + timedelta(days=self.horizon_days), -14)
        qs = Recipient.objects.filter(
            status=RecipientStatus.ENROLLED,
            archived_at__isnull=True,
            birth_date__lte=latest_birth,
            birth_date__gt=anniversary(today, -18),
        ).exclude(identity_document_kind=IdentityDocumentKind.PASSPORT)
        if department_id is not None:
            qs = qs.filter(department_id=department_id)
        recipients = list(
            qs.only("pk", "last_name", "first_name", "patronymic", "birth_date", "department_id")
        )
        heads = DepartmentHeads(r.department_id for r in recipients)
        items = []
        for r in recipients:
            birthday = anniversary(r.birth_date, 14)
            items.append(
                heads.item(
                    self,
                    key=f"recipient:{r.pk}",
                    title=f"{r.short_name}: 14 лет {birthday:%d.%m.%Y} — паспорт вместо "
                    "свидетельства о рождении",
                    due=calendar.term_end(birthday, self.term_days),
                    url=reverse("recipients:detail", args=[r.pk]),
                    department_id=r.department_id,
                )
            )
        return items


class CircumstanceChangeReview(DeadlineKind):
    """O8 (Order §2.6.6): a representative reported a change of the circumstances of need; the
    head of the department reviews it. The Order sets no term: the centre's norm is five working
    days after the report. Done when reviewed; reviewed reports stay listed a month."""

    code = "circumstance_change"
    label = "Изменение обстоятельств: рассмотреть"
    rules = "O8"
    working_days = CIRCUMSTANCE_REVIEW_WORKING_DAYS
    done_window_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        qs = CircumstanceChange.objects.select_related("recipient").filter(
            models.Q(reviewed_on__isnull=True)
            | models.Q(reviewed_on__gte=today - timedelta(days=self.done_window_days))
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        changes = list(qs)
        heads = DepartmentHeads(c.recipient.department_id for c in changes)
        items = []
        for c in changes:
            items.append(
                heads.item(
                    self,
                    key=f"circumstance_change:{c.pk}",
                    title=f"{c.recipient.short_name}: изменение обстоятельств от "
                    f"{c.reported_on:%d.%m.%Y} — рассмотреть",
                    due=c.review_due,
                    done_on=c.reviewed_on,
                    url=f"{c.recipient.get_absolute_url()}#circumstance-changes",
                    department_id=c.recipient.department_id,
                )
            )
        return items


class HospitalisationNotice(DeadlineKind):
    """O35 (table 2.1): the representative is told of an emergency hospitalisation at once —
    due the day of the hospitalisation; done when the notice is recorded (kept a month). The
    head answers for it."""

    code = "hospitalisation_notice"
    label = "Госпитализация: известить законного представителя"
    rules = "O35"
    done_window_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        since = today - timedelta(days=self.done_window_days)
        qs = Hospitalisation.objects.select_related("recipient").filter(
            models.Q(notified_at__isnull=True) | models.Q(notified_at__date__gte=since)
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        rows = list(qs)
        heads = DepartmentHeads(h.recipient.department_id for h in rows)
        return [
            heads.item(
                self,
                key=f"hospitalisation:{h.pk}",
                title=f"{h.recipient.short_name}: госпитализация "
                f"{timezone.localtime(h.hospitalised_at):%d.%m.%Y} — известить представителя",
                due=timezone.localtime(h.hospitalised_at).date(),
                done_on=timezone.localtime(h.notified_at).date() if h.notified_at else None,
                url=f"{h.recipient.get_absolute_url()}#care",
                department_id=h.recipient.department_id,
            )
            for h in rows
        ]


class InformationRequestAnswer(DeadlineKind):
    """O38 (§2.6.8): information about the inclusion in the list of recommended providers
    within two working days of the request. The head answers for it; answered requests stay
    listed a month."""

    code = "information_request"
    label = "Запрос информации: ответить в течение двух рабочих дней"
    rules = "O38"
    working_days = INFORMATION_WORKING_DAYS
    done_window_days = 30

    def items(self, *, today: date, department_id: int | None = None) -> list[DeadlineItem]:
        qs = InformationRequest.objects.select_related("recipient").filter(
            models.Q(answered_on__isnull=True)
            | models.Q(answered_on__gte=today - timedelta(days=self.done_window_days))
        )
        if department_id is not None:
            qs = qs.filter(recipient__department_id=department_id)
        rows = list(qs)
        heads = DepartmentHeads(r.recipient.department_id for r in rows)
        return [
            heads.item(
                self,
                key=f"information_request:{r.pk}",
                title=f"{r.recipient.short_name}: запрос от {r.requested_on:%d.%m.%Y} — ответить",
                due=r.answer_due,
                done_on=r.answered_on,
                url=f"{r.recipient.get_absolute_url()}#care",
                department_id=r.recipient.department_id,
            )
            for r in rows
        ]
