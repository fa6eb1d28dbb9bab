"""The personal file (O13, O27, O28) and the papers of enrolment: the application, the
need-recognition protocol, the contract (O1, O10, O27)."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent, PlannedEvent
from organisation.models import ArchivableModel, TimeStampedModel
from organisation.storage import scan_storage
from organisation.uploads import MAX_UPLOAD_SIZE
from recipients.models.people import (
    OPINION_AGE,
    Circumstance,
    Recipient,
    Representative,
)

# --- The personal file (O13, O27, O28) --------------------------------------------------------


class DocumentKind(models.TextChoices):
    """The documents of §5.1 of the Order, in its order, and documents made during service."""

    APPLICATION = "application", "Заявление родителя (законного представителя)"
    NEED_RECOGNITION = "need_recognition", "Протокол о признании нуждающимся"
    IDENTITY = "identity", "Свидетельство о рождении (паспорт)"
    REPRESENTATIVE_ID = "representative_id", "Документ, удостоверяющий личность представителя"
    MEDICAL = "medical", "Справки медицинского учреждения о состоянии здоровья"
    SNILS = "snils", "СНИЛС"
    OMS_POLICY = "oms_policy", "Полис ОМС"
    HOUSING_ACT = "housing_act", "Акт обследования жилищно-бытовых условий семьи"
    OTHER = "other", "Иной документ личного дела"


# O27: every item of §5.1 must be in the personal file before enrolment.
CHECKLIST: tuple[DocumentKind, ...] = tuple(k for k in DocumentKind if k != DocumentKind.OTHER)

ALLOWED_SCAN_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
MAX_SCAN_SIZE = MAX_UPLOAD_SIZE  # what the upload handler keeps of a file (10 MB)


def scan_path(instance: Document, filename: str) -> str:
    """Scans live under MEDIA_ROOT/personal_files/<recipient>/; the name is never the upload's."""
    suffix = PurePath(filename).suffix.lower()
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"personal_files/{instance.recipient_id}/{instance.kind}-{stamp}{suffix}"


class DocumentQuerySet(ScopedQuerySet["Document"]):
    department_lookup = "recipient__department"

    def active(self) -> DocumentQuerySet:
        return self.filter(archived_at__isnull=True)


class Document(TimeStampedModel, ArchivableModel):
    """One document of the personal file: a paper copy checked and certified «копия верна»
    (O28), optionally with its scan."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField("вид документа", max_length=20, choices=DocumentKind.choices)
    title = models.CharField(
        "наименование", max_length=300, blank=True, help_text="Например: справка ф. 086/у"
    )
    received_on = models.DateField("дата поступления", validators=[PastEvent("Дата поступления")])
    # Written when the row commits (no file left by a rolled-back upload).
    scan = models.FileField(
        "скан", upload_to=scan_path, storage=scan_storage, blank=True, max_length=300
    )
    scan_name = models.CharField("имя файла", max_length=255, blank=True, editable=False)
    scan_type = models.CharField("тип файла", max_length=40, blank=True, editable=False)
    scan_size = models.PositiveIntegerField("размер файла, байт", default=0, editable=False)
    certified_on = models.DateField(
        "дата заверения", null=True, blank=True, validators=[PastEvent("Дата заверения")]
    )
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто заверил",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    certified_position = models.CharField("должность заверившего", max_length=100, blank=True)
    certified_name = models.CharField(
        "расшифровка подписи", max_length=100, blank=True, help_text="Инициалы, фамилия"
    )

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ личного дела"
        verbose_name_plural = "документы личного дела"
        ordering = ["recipient", "kind", "-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="document_certification_complete",
                condition=models.Q(certified_on__isnull=True)
                | (~models.Q(certified_position="") & ~models.Q(certified_name="")),
                violation_error_message="Заверение «копия верна»: нужны должность и расшифровка "
                "подписи.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_certified(self) -> bool:
        return self.certified_on is not None

    @property
    def certification_text(self) -> str:
        if not self.is_certified or self.certified_on is None:
            return ""
        return (
            f"Копия верна. {self.certified_position} {self.certified_name}, "
            f"{self.certified_on:%d.%m.%Y}"
        )


# --- Enrolment: application, need recognition, contract ---------------------------------------


class ApplicationQuerySet(ScopedQuerySet["Application"]):
    department_lookup = "recipient__department"


class Application(TimeStampedModel, ArchivableModel):
    """The representative's application for services, with the minor's opinion from age ten
    unless asking it would harm the minor (O27, §5.1)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="applications"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name="заявитель",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_on = models.DateField("дата заявления", validators=[PastEvent("Дата заявления")])
    minor_opinion = models.TextField(
        "мнение несовершеннолетнего", blank=True, help_text="Обязательно с 10 лет"
    )
    opinion_not_asked_reason = models.TextField(
        "почему мнение не учитывалось",
        blank=True,
        help_text="Если учёт мнения противоречит интересам несовершеннолетнего",
    )

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "заявление о предоставлении социальных услуг"
        verbose_name_plural = "заявления о предоставлении социальных услуг"
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"Заявление от {self.submitted_on:%d.%m.%Y}"

    @property
    def needs_minor_opinion(self) -> bool:
        return self.recipient.age_on(self.submitted_on) >= OPINION_AGE

    @property
    def opinion_recorded(self) -> bool:
        """O27: from ten, the opinion or the reason it was not asked."""
        if not self.needs_minor_opinion:
            return True
        return bool(self.minor_opinion.strip() or self.opinion_not_asked_reason.strip())


class NeedRecognitionQuerySet(ScopedQuerySet["NeedRecognition"]):
    department_lookup = "recipient__department"


class NeedRecognition(TimeStampedModel, ArchivableModel):
    """The protocol recognising the minor as in need of social services (O1)."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="need_recognitions",
    )
    number = models.CharField("номер протокола", max_length=40)
    decided_on = models.DateField("дата протокола", validators=[PastEvent("Дата протокола")])
    issued_by = models.CharField(
        "орган, признавший нуждающимся",
        max_length=300,
        help_text="Например: управление социальной защиты населения администрации района",
    )
    circumstances = models.JSONField("обстоятельства (п. 1.4)", default=list)

    objects = NeedRecognitionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "протокол о признании нуждающимся"
        verbose_name_plural = "протоколы о признании нуждающимся"
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"Протокол № {self.number} от {self.decided_on:%d.%m.%Y}"

    def get_circumstances_display(self) -> list[str]:
        labels = dict(Circumstance.choices)
        return [labels.get(c, c) for c in self.circumstances or []]


class ContractTerm(models.TextChoices):
    PERMANENT = "permanent", "постоянно"
    TEMPORARY = "temporary", "временно (на срок)"


class ContractQuerySet(ScopedQuerySet["Contract"]):
    department_lookup = "recipient__department"


class Contract(TimeStampedModel, ArchivableModel):
    """The contract on social services with the representative; services are free (O10)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="contracts"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name="законный представитель",
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    number = models.CharField("номер договора", max_length=40)
    concluded_on = models.DateField("дата договора", validators=[PastEvent("Дата договора")])
    term = models.CharField(
        "срок", max_length=10, choices=ContractTerm.choices, default=ContractTerm.TEMPORARY
    )
    valid_until = models.DateField(
        "действует до", null=True, blank=True, validators=[PlannedEvent("Срок действия")]
    )
    is_free = models.BooleanField("бесплатно", default=True, editable=False)

    objects = ContractQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "договор о предоставлении социальных услуг"
        verbose_name_plural = "договоры о предоставлении социальных услуг"
        ordering = ["-concluded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="contract_is_free_O10",
                condition=models.Q(is_free=True),
                violation_error_message="Социальные услуги несовершеннолетним бесплатны (п. 3.2).",
            ),
            models.CheckConstraint(
                name="contract_temporary_has_end",
                condition=~models.Q(term="temporary") | models.Q(valid_until__isnull=False),
                violation_error_message="Для временного договора укажите, до какой даты он "
                "действует.",
            ),
        ]

    def __str__(self) -> str:
        return f"Договор № {self.number} от {self.concluded_on:%d.%m.%Y}"

    @property
    def is_permanent(self) -> bool:
        return self.term == ContractTerm.PERMANENT
