"""Background exports: a long document is built by a worker while the user watches its progress."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models

from organisation import policy
from organisation.access import ScopedQuerySet
from organisation.models import TimeStampedModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "формируется"
    DONE = "done", "готово"
    FAILED = "failed", "ошибка"


class ExportJobQuerySet(ScopedQuerySet["ExportJob"]):
    logs_openings = False  # the export itself is logged when it is ordered (reports/jobs.py)

    def visible_to(self, user: Any) -> Self:
        """A job and its file are its owner's only: the file holds what the owner's scope
        showed when the job was started — not to an account whose position now waits for the
        director's confirmation (it has no role and sees nothing), nor once its position or
        department has changed (`User.scope_changed_at`)."""
        if not policy.reads_children(user):
            # signed out or switched off; no role (waiting for the director), or one without
            # case content (an account just made an administrator)
            return self.none()
        mine = self.filter(owner=user)
        if user.scope_changed_at is not None:
            # a file made before a change of position or department holds the former scope
            mine = mine.filter(created_at__gte=user.scope_changed_at)
        return mine


class ExportJob(TimeStampedModel):
    """One export run in the background: what, with which filter, for whom, how far."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто заказал",
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField("вид", max_length=60)
    title = models.CharField("документ", max_length=200)
    parameters = models.JSONField("параметры", default=dict, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("строк всего", null=True, blank=True)
    rows_done = models.PositiveIntegerField("строк готово", default=0)
    file = models.FileField("файл", upload_to="exports/", blank=True)
    filename = models.CharField("имя файла", max_length=200, blank=True)
    error = models.TextField("ошибка", blank=True)
    started_at = models.DateTimeField("начато", null=True, blank=True)
    finished_at = models.DateTimeField("завершено", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "выгрузка"
        verbose_name_plural = "выгрузки"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="exportjob_owner_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == JobStatus.FAILED
