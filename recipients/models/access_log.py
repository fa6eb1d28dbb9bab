"""The log of every opening of a personal card, scan or printed form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.models import Role, TimeStampedModel
from recipients.models.people import (
    Recipient,
)

# --- Who opened which card, and when ----------------------------------------------------------


class AccessLogQuerySet(ScopedQuerySet["AccessLog"]):
    department_lookup = "recipient__department"
    read_roles = frozenset({Role.HEAD, Role.DIRECTOR})
    write_roles: frozenset[Role] = frozenset()


class AccessKind(models.TextChoices):
    CARD = "card", "карточка"
    DOCUMENT = "document", "скан документа"
    PRINT = "print", "печатная форма"
    EXPORT = "export", "выписка из регистра"


class AccessLog(TimeStampedModel):
    """One opening of a personal card (or of a scan, a printed form): who and when."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("что открыто", max_length=10, choices=AccessKind.choices)
    detail = models.CharField("подробности", max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "запись журнала доступа"
        verbose_name_plural = "журнал доступа к личным делам"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="accesslog_recipient")]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.user} — {self.recipient}"
