"""The director's orders on one minor (O12, O24): enrolment on social services and discharge
from them. The head drafts, the director approves (the order gets its number of the year and
takes effect on the recipient) or returns it. This app sits above `recipients/` and
`consilium/`: approving a discharge reads the consilium's decision directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.links import record_url
from organisation.models import TimeStampedModel
from recipients.models import Recipient


class OrderKind(models.TextChoices):
    ENROLMENT = "enrolment", "о зачислении на социальное обслуживание"
    DISCHARGE = "discharge", "о снятии с социального обслуживания"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Проект"
    APPROVED = "approved", "Утверждён"
    RETURNED = "returned", "Возвращён на доработку"


class OrderQuerySet(ScopedQuerySet["Order"]):
    department_lookup = "recipient__department"


class Order(TimeStampedModel):
    """An order of the centre on one minor: drafted by the head, approved or returned by the
    director. The number is given on approval and is unique within the calendar year."""

    kind = models.CharField("вид приказа", max_length=10, choices=OrderKind.choices)
    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(
        "состояние", max_length=10, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    effective_on = models.DateField(
        "дата действия",
        help_text="Для зачисления — первый день пребывания; для снятия — дата снятия",
    )
    grounds = models.TextField("основание", blank=True)
    year = models.PositiveSmallIntegerField("год", null=True, blank=True, editable=False)
    number = models.PositiveIntegerField("номер", null=True, blank=True, editable=False)
    signed_on = models.DateField("дата приказа", null=True, blank=True, editable=False)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил или вернул",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    decided_at = models.DateTimeField("решение принято", null=True, blank=True, editable=False)
    return_reason = models.TextField("причина возврата", blank=True)

    objects = OrderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("draft_order", "Подготовка проекта приказа"),
            ("approve_order", "Утверждение и возврат приказов"),
        ]
        indexes = [
            # the register, newest number first (descending puts the drafts' NULLs first on
            # PostgreSQL, as the list orders them), read up to its page
            models.Index(fields=["-year", "-number", "-created_at"], name="order_register"),
            # the drafts awaiting the director, in the same order
            models.Index(
                fields=["-year", "-number", "-created_at"],
                condition=models.Q(status="draft"),
                name="order_register_drafts",
            ),
            # the deadline register: the orders decided in the last month (O12, O24)
            models.Index(fields=["decided_at"], name="order_decided"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=models.Q(number__isnull=False),
                name="order_number_unique_per_year",
                violation_error_message="Приказ с таким номером в этом году уже есть.",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind"],
                condition=models.Q(status="draft"),
                name="order_one_draft_per_kind",
                violation_error_message="Проект такого приказа уже подготовлен.",
            ),
            models.CheckConstraint(
                name="order_approved_has_number",
                condition=~models.Q(status="approved")
                | (models.Q(number__isnull=False) & models.Q(signed_on__isnull=False)),
                violation_error_message="У утверждённого приказа должны быть номер и дата.",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            signed = f"{self.signed_on:%d.%m.%Y}" if self.signed_on else ""
            return f"Приказ № {self.display_number} от {signed} {self.get_kind_display()}"
        return f"Проект приказа {self.get_kind_display()}"

    @property
    def display_number(self) -> str:
        return f"{self.number}-{self.year % 100:02d}" if self.number and self.year else "—"

    @property
    def is_draft(self) -> bool:
        return self.status == OrderStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.status == OrderStatus.APPROVED

    @property
    def is_returned(self) -> bool:
        return self.status == OrderStatus.RETURNED

    @property
    def is_enrolment(self) -> bool:
        return self.kind == OrderKind.ENROLMENT

    @property
    def is_discharge(self) -> bool:
        return self.kind == OrderKind.DISCHARGE

    def get_absolute_url(self) -> str:
        return record_url("orders:detail", self.pk)
