"""The provider's duties towards the recipient: changes of circumstances (O8, §2.6.6),
familiarisation and belongings kept safe (O9, §2.6.7; O12, §3.3.1), quality surveys (O5,
§2.5.4)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation import calendar
from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent
from organisation.models import TimeStampedModel
from recipients.models.people import (
    Recipient,
    Representative,
)

# --- Changes of circumstances reported by representatives (O8) ---------------------------------


# The Order sets no term for the review; the centre's norm is five working days.
CIRCUMSTANCE_REVIEW_WORKING_DAYS = 5


class CircumstanceChangeQuerySet(ScopedQuerySet["CircumstanceChange"]):
    department_lookup = "recipient__department"


class CircumstanceChange(TimeStampedModel):
    """A representative reports a change of the circumstances that make the child need services
    (Order §2.6.6); the head of the department reviews it and decides whether the circumstances
    of need (`Recipient.circumstances`) are to be revised."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="circumstance_changes",
    )
    reported_on = models.DateField("дата сообщения", validators=[PastEvent("Дата сообщения")])
    reported_by = models.ForeignKey(
        Representative,
        verbose_name="сообщил представитель",
        on_delete=models.PROTECT,
        related_name="circumstance_changes",
        null=True,
        blank=True,
    )
    reported_by_name = models.CharField(
        "сообщил (если не представитель из карточки)", max_length=300, blank=True
    )
    what_changed = models.TextField("что изменилось")
    revise_circumstances = models.BooleanField(
        "нужно пересмотреть обстоятельства нуждаемости", default=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="рассмотрел",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_on = models.DateField(
        "дата рассмотрения", null=True, blank=True, validators=[PastEvent("Дата рассмотрения")]
    )
    decision = models.TextField("решение заведующего", blank=True)

    objects = CircumstanceChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "изменение обстоятельств"
        verbose_name_plural = "изменения обстоятельств"
        ordering = ["-reported_on", "-pk"]
        permissions = [
            ("review_circumstance_change", "Рассмотрение сообщения об изменении обстоятельств")
        ]
        constraints = [
            models.CheckConstraint(
                name="circumstance_change_reporter_given",
                condition=models.Q(reported_by__isnull=False) | ~models.Q(reported_by_name=""),
            ),
            models.CheckConstraint(
                name="circumstance_change_review_complete",
                condition=models.Q(reviewed_on__isnull=True, reviewed_by__isnull=True)
                | models.Q(reviewed_on__isnull=False, reviewed_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Изменение обстоятельств от {self.reported_on:%d.%m.%Y}"

    @property
    def review_due(self) -> date:
        """O8: the head reviews a reported change within the centre's norm of working days."""
        return calendar.add_working_days(self.reported_on, CIRCUMSTANCE_REVIEW_WORKING_DAYS)

    @property
    def reporter(self) -> str:
        return self.reported_by.full_name if self.reported_by else self.reported_by_name

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None


# --- The provider's duties (O9, §2.6.7; O12, §3.3.1) -------------------------------------------


class FamiliarisationKind(models.TextChoices):
    """The documents the minor and the representative are familiarised with (O9, O12)."""

    SERVICE_ORDER = "service_order", "Порядок и условия предоставления социального обслуживания"
    INTERNAL_RULES = "internal_rules", "Правила внутреннего распорядка воспитанников"
    SAFETY_RULES = "safety_rules", "Правила техники безопасности и пожарной безопасности"
    PROVIDER_DOCUMENTS = "provider_documents", "Правоустанавливающие документы поставщика"


class FamiliarisationQuerySet(ScopedQuerySet["Familiarisation"]):
    department_lookup = "recipient__department"


class Familiarisation(TimeStampedModel):
    """One document the minor (and the representative) were familiarised with, on a date."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="familiarisations",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name="законный представитель",
        on_delete=models.PROTECT,
        related_name="familiarisations",
        null=True,
        blank=True,
    )
    kind = models.CharField("документ", max_length=30, choices=FamiliarisationKind.choices)
    on = models.DateField("дата ознакомления", validators=[PastEvent("Дата ознакомления")])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто ознакомил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("примечание", max_length=300, blank=True)

    objects = FamiliarisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ознакомление с документами"
        verbose_name_plural = "ознакомления с документами"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.on:%d.%m.%Y}"


class BelongingQuerySet(ScopedQuerySet["Belonging"]):
    department_lookup = "recipient__department"


class Belonging(TimeStampedModel):
    """A thing or valuable handed over for safekeeping and its return (O9, §2.6.7)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="belongings"
    )
    description = models.CharField("вещь, ценность", max_length=300)
    handed_over_on = models.DateField("принято на хранение", validators=[PastEvent("Дата приёма")])
    returned_on = models.DateField(
        "возвращено", null=True, blank=True, validators=[PastEvent("Дата возврата")]
    )
    note = models.CharField("примечание", max_length=300, blank=True)

    objects = BelongingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вещь на хранении"
        verbose_name_plural = "вещи на хранении"
        ordering = ["handed_over_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_on__isnull=True)
                | models.Q(returned_on__gte=models.F("handed_over_on")),
                name="belonging_returned_after_handed_over_O9",
                violation_error_message="Дата возврата не может быть раньше даты приёма.",
            )
        ]

    def __str__(self) -> str:
        return self.description


# --- Quality assessed by surveys of recipients (O5, §2.5.4) ------------------------------------

SCORE_CRITERIA = ("completeness", "timeliness", "politeness", "conditions")


class Respondent(models.TextChoices):
    MINOR = "minor", "Получатель (несовершеннолетний)"
    REPRESENTATIVE = "representative", "Законный представитель"


class QualitySurveyQuerySet(ScopedQuerySet["QualitySurvey"]):
    department_lookup = "recipient__department"


def _score(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, choices=[(i, str(i)) for i in range(1, 6)], help_text="1 — плохо, 5 — отлично"
    )


class QualitySurvey(TimeStampedModel):
    """One questionnaire on the quality of social services (O5, §2.5.4), scores 1–5."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="surveys"
    )
    respondent = models.CharField("кто отвечал", max_length=20, choices=Respondent.choices)
    answered_on = models.DateField(
        "дата анкетирования", validators=[PastEvent("Дата анкетирования")]
    )
    completeness = _score("полнота услуг")
    timeliness = _score("своевременность")
    politeness = _score("вежливость и внимательность персонала")
    conditions = _score("условия проживания и обслуживания")
    comment = models.TextField("замечания и предложения", blank=True)

    objects = QualitySurveyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "анкета о качестве услуг"
        verbose_name_plural = "анкеты о качестве услуг"
        ordering = ["-answered_on", "-pk"]
        permissions = [("view_quality_summary", "Сводка анкетирования о качестве услуг")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completeness__range=(1, 5))
                & models.Q(timeliness__range=(1, 5))
                & models.Q(politeness__range=(1, 5))
                & models.Q(conditions__range=(1, 5)),
                name="survey_scores_1_to_5_O5",
                violation_error_message="Оценки — от 1 до 5.",
            )
        ]

    def __str__(self) -> str:
        return f"Анкета от {self.answered_on:%d.%m.%Y}"
