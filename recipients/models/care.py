"""Care records the regulations ask the centre to keep (second pass of the audit): the notice to
the representative of an emergency hospitalisation (O35, table 2.1), the right to information
within two working days about inclusion in the list of recommended providers and the visitors'
log (O38, §2.6.8, §2.6.5.8), the issue of clothing, footwear and hygiene items (O39, §2.2)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation import calendar
from organisation.access import ScopedQuerySet
from organisation.models import TimeStampedModel
from recipients.models.people import Recipient, Representative

# --- Emergency hospitalisation and the notice to the representative (O35) ---------------------


class NoticeMethod(models.TextChoices):
    PHONE = "phone", "по телефону"
    IN_PERSON = "in_person", "лично"
    MESSAGE = "message", "сообщением (SMS, мессенджер)"
    OTHER = "other", "иным способом"


class HospitalisationQuerySet(ScopedQuerySet["Hospitalisation"]):
    department_lookup = "recipient__department"


class Hospitalisation(TimeStampedModel):
    """An emergency hospitalisation of a minor (table 2.1: «содействие в госпитализации … с
    незамедлительным информированием родителей (законных представителей)») and the notice to
    the representative: who was told, when, how and by whom."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="hospitalisations",
    )
    hospitalised_at = models.DateTimeField("дата и время госпитализации")
    hospital = models.CharField("медицинская организация", max_length=300)
    reason = models.CharField("причина (со слов врача)", max_length=300, blank=True)
    notified = models.ForeignKey(
        Representative,
        verbose_name="кого известили",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notified_at = models.DateTimeField("когда известили", null=True, blank=True)
    notice_method = models.CharField(
        "как известили", max_length=10, choices=NoticeMethod.choices, blank=True
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто известил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = HospitalisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "экстренная госпитализация"
        verbose_name_plural = "экстренные госпитализации"
        ordering = ["-hospitalised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="hospitalisation_notice_complete_O35",
                condition=models.Q(notified_at__isnull=True)
                | (
                    models.Q(notified__isnull=False)
                    & models.Q(notified_by__isnull=False)
                    & ~models.Q(notice_method="")
                ),
                violation_error_message="Укажите, кого, как и кто известил.",
            ),
        ]

    def __str__(self) -> str:
        return f"Госпитализация {self.hospitalised_at:%d.%m.%Y} — {self.hospital}"

    @property
    def is_notified(self) -> bool:
        return self.notified_at is not None

    @property
    def notice_due(self) -> date:
        """«Незамедлительно»: the day of the hospitalisation."""
        return self.hospitalised_at.date()


# --- The right to information within two working days (O38, §2.6.8) ---------------------------

INFORMATION_WORKING_DAYS = 2


class InformationRequestQuerySet(ScopedQuerySet["InformationRequest"]):
    department_lookup = "recipient__department"


class InformationRequest(TimeStampedModel):
    """A request for information about the inclusion of the centre in the register (list) of
    recommended providers; the answer is due within two working days (§2.6.8)."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="information_requests",
    )
    requested_on = models.DateField("дата запроса")
    requested_by = models.CharField("кто запросил", max_length=200)
    question = models.CharField("о чём запрос", max_length=500)
    answered_on = models.DateField("дата ответа", null=True, blank=True)
    answer = models.TextField("ответ", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто ответил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InformationRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "запрос информации"
        verbose_name_plural = "запросы информации"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="information_answer_after_request_O38",
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("requested_on")),
                violation_error_message="Дата ответа не может быть раньше даты запроса.",
            ),
        ]

    def __str__(self) -> str:
        return f"Запрос от {self.requested_on:%d.%m.%Y}: {self.question}"

    @property
    def answer_due(self) -> date:
        return calendar.add_working_days(self.requested_on, INFORMATION_WORKING_DAYS)

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None


# --- The visitors' log (O38, §2.6.5.8) ---------------------------------------------------------


class VisitorKind(models.TextChoices):
    REPRESENTATIVE = "representative", "законный представитель"
    LAWYER = "lawyer", "адвокат"
    NOTARY = "notary", "нотариус"
    PUBLIC_ORGANISATION = "public", "представитель общественной организации"
    CLERGY = "clergy", "священнослужитель"
    RELATIVE = "relative", "родственник"


class VisitorEntryQuerySet(ScopedQuerySet["VisitorEntry"]):
    department_lookup = "recipient__department"


class VisitorEntry(TimeStampedModel):
    """A visit to a minor recorded in the visitors' log (§2.6.5.8)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="visitors"
    )
    visitor = models.CharField("посетитель", max_length=200)
    kind = models.CharField("кто посетил", max_length=16, choices=VisitorKind.choices)
    visited_at = models.DateTimeField("дата и время посещения")
    note = models.CharField("примечание", max_length=300, blank=True)

    objects = VisitorEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "запись журнала посещений"
        verbose_name_plural = "журнал посещений"
        ordering = ["-visited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.visitor} ({self.get_kind_display()}), {self.visited_at:%d.%m.%Y %H:%M}"


# --- Clothing, footwear and hygiene items (O39, §2.2) ------------------------------------------


class ItemKind(models.TextChoices):
    CLOTHING = "clothing", "одежда"
    FOOTWEAR = "footwear", "обувь"
    HYGIENE = "hygiene", "предметы личной гигиены"


class ItemIssueQuerySet(ScopedQuerySet["ItemIssue"]):
    department_lookup = "recipient__department"


class ItemIssue(TimeStampedModel):
    """Clothing, footwear or hygiene items issued to a minor (§2.2): what, how many, when,
    by whom."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="item_issues"
    )
    kind = models.CharField("вид", max_length=10, choices=ItemKind.choices)
    item = models.CharField("предмет", max_length=200)
    quantity = models.PositiveSmallIntegerField("количество")
    issued_on = models.DateField("дата выдачи")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто выдал",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ItemIssueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "выдача одежды, обуви, предметов гигиены"
        verbose_name_plural = "выдача одежды, обуви, предметов гигиены"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="item_issue_quantity_positive_O39",
                condition=models.Q(quantity__gte=1),
                violation_error_message="Количество — не меньше одного.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.quantity} шт., {self.issued_on:%d.%m.%Y}"
