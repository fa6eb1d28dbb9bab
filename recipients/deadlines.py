"""Deadlines of the recipients' domain (listed in the registry, `organisation.deadlines.kinds`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models.functions import TruncDate
from django.utils import timezone

from organisation import calendar_sql
from organisation.deadlines import DeadlineItem, DeadlineKind, deadline, head_of
from organisation.links import record_url
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
)

_NAME_FIELDS = ("pk", "last_name", "first_name", "patronymic", "birth_date", "department_id")


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

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        latest_birth = anniversary(today + timedelta(days=self.horizon_days), -18)
        qs = (
            Recipient.objects.open_stay()
            .filter(archived_at__isnull=True, birth_date__lte=latest_birth)
            .only(*_NAME_FIELDS)
        )
        return deadline(
            qs,
            due=calendar_sql.AddYears("birth_date", 18),
            responsible=head_of("department_id"),
            department="department_id",
        )

    def item(self, obj: Recipient) -> DeadlineItem:
        return self.make(
            obj,
            key=f"recipient:{obj.pk}",
            title=f"{obj.short_name}: 18 лет {obj.dl_due:%d.%m.%Y} — снять с обслуживания",  # type: ignore[attr-defined]
            url=record_url("recipients:detail", obj.pk),
        )


class ContractTermEnding(DeadlineKind):
    """A temporary contract ends (O4, O23): extend it or prepare the discharge. The head is
    responsible; shown from 30 days before the last day."""

    code = "contract_end"
    label = "Окончание срока договора"
    rules = "O4, O23"
    horizon_days = 30

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
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
                recipient__first_day_of_stay__isnull=False,
                recipient__discharged_on__isnull=True,
            )
            .exclude(models.Exists(later))
            .select_related("recipient")
        )
        return deadline(
            qs,
            due="valid_until",
            responsible=head_of("recipient__department_id"),
            department="recipient__department_id",
        )

    def item(self, obj: Contract) -> DeadlineItem:
        assert obj.valid_until is not None
        return self.make(
            obj,
            key=f"contract:{obj.pk}",
            title=f"{obj.recipient.short_name}: договор № {obj.number} действует до "
            f"{obj.valid_until:%d.%m.%Y} — продлить или снять с обслуживания",
            url=obj.recipient.get_absolute_url(),
        )


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

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        latest_birth = anniversary(today + timedelta(days=self.horizon_days), -14)
        qs = (
            Recipient.objects.open_stay()
            .filter(
                archived_at__isnull=True,
                birth_date__lte=latest_birth,
                birth_date__gt=anniversary(today, -18),
            )
            .exclude(identity_document_kind=IdentityDocumentKind.PASSPORT)
            .only(*_NAME_FIELDS)
            .annotate(dl_start=calendar_sql.AddYears("birth_date", 14))
        )
        return deadline(
            qs,
            due=calendar_sql.term_end("dl_start", self.term_days),
            responsible=head_of("department_id"),
            department="department_id",
        )

    def item(self, obj: Recipient) -> DeadlineItem:
        birthday = anniversary(obj.birth_date, 14)
        return self.make(
            obj,
            key=f"recipient:{obj.pk}",
            title=f"{obj.short_name}: 14 лет {birthday:%d.%m.%Y} — паспорт вместо "
            "свидетельства о рождении",
            url=record_url("recipients:detail", obj.pk),
        )


class CircumstanceChangeReview(DeadlineKind):
    """O8 (Order §2.6.6): a representative reported a change of the circumstances of need; the
    head of the department reviews it. The Order sets no term: the centre's norm is five working
    days after the report. Done when reviewed; reviewed reports stay listed a month."""

    code = "circumstance_change"
    label = "Изменение обстоятельств: рассмотреть"
    rules = "O8"
    working_days = CIRCUMSTANCE_REVIEW_WORKING_DAYS
    done_window_days = 30

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        qs = CircumstanceChange.objects.select_related("recipient").filter(
            models.Q(reviewed_on__isnull=True)
            | models.Q(reviewed_on__gte=today - timedelta(days=self.done_window_days))
        )
        return deadline(
            qs,
            due=calendar_sql.add_working_days("reported_on", self.working_days),
            done="reviewed_on",
            responsible=head_of("recipient__department_id"),
            department="recipient__department_id",
        )

    def item(self, obj: CircumstanceChange) -> DeadlineItem:
        return self.make(
            obj,
            key=f"circumstance_change:{obj.pk}",
            title=f"{obj.recipient.short_name}: изменение обстоятельств от "
            f"{obj.reported_on:%d.%m.%Y} — рассмотреть",
            url=f"{obj.recipient.get_absolute_url()}#circumstance-changes",
        )


class HospitalisationNotice(DeadlineKind):
    """O35 (table 2.1): the representative is told of an emergency hospitalisation at once —
    due the day of the hospitalisation; done when the notice is recorded (kept a month). The
    head answers for it."""

    code = "hospitalisation_notice"
    label = "Госпитализация: известить законного представителя"
    rules = "O35"
    done_window_days = 30

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        since = today - timedelta(days=self.done_window_days)
        qs = Hospitalisation.objects.select_related("recipient").filter(
            models.Q(notified_at__isnull=True) | models.Q(notified_at__date__gte=since)
        )
        return deadline(
            qs,
            due=TruncDate("hospitalised_at"),
            done=TruncDate("notified_at"),
            responsible=head_of("recipient__department_id"),
            department="recipient__department_id",
        )

    def item(self, obj: Hospitalisation) -> DeadlineItem:
        return self.make(
            obj,
            key=f"hospitalisation:{obj.pk}",
            title=f"{obj.recipient.short_name}: госпитализация "
            f"{timezone.localtime(obj.hospitalised_at):%d.%m.%Y} — известить представителя",
            url=f"{obj.recipient.get_absolute_url()}#care",
        )


class InformationRequestAnswer(DeadlineKind):
    """O38 (§2.6.8): information about the inclusion in the list of recommended providers
    within two working days of the request. The head answers for it; answered requests stay
    listed a month."""

    code = "information_request"
    label = "Запрос информации: ответить в течение двух рабочих дней"
    rules = "O38"
    working_days = INFORMATION_WORKING_DAYS
    done_window_days = 30

    def queryset(self, *, today: date) -> models.QuerySet[Any]:
        qs = InformationRequest.objects.select_related("recipient").filter(
            models.Q(answered_on__isnull=True)
            | models.Q(answered_on__gte=today - timedelta(days=self.done_window_days))
        )
        return deadline(
            qs,
            due=calendar_sql.add_working_days("requested_on", self.working_days),
            done="answered_on",
            responsible=head_of("recipient__department_id"),
            department="recipient__department_id",
        )

    def item(self, obj: InformationRequest) -> DeadlineItem:
        return self.make(
            obj,
            key=f"information_request:{obj.pk}",
            title=f"{obj.recipient.short_name}: запрос от {obj.requested_on:%d.%m.%Y} — ответить",
            url=f"{obj.recipient.get_absolute_url()}#care",
        )
