"""Consent to the processing of personal data (O6, §2.6.3)."""

from __future__ import annotations

import re
from datetime import date

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent
from organisation.models import ArchivableModel, TimeStampedModel
from recipients.models.people import (
    Recipient,
    Representative,
    normalise_search,
)

# --- Consent to the processing of personal data (O6) ------------------------------------------


class ConsentScope(models.TextChoices):
    PROCESSING = "processing", "обработка персональных данных"
    TRANSFER = "transfer", "передача названным третьим лицам"
    MEDIA = "media", "средства массовой информации"
    WEBSITE = "website", "официальный сайт центра"


class ConsentQuerySet(ScopedQuerySet["Consent"]):
    department_lookup = "recipient__department"

    def in_force_on(self, d: date) -> ConsentQuerySet:
        return self.filter(given_on__lte=d, archived_at__isnull=True).filter(
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=d)
        )


class Consent(TimeStampedModel, ArchivableModel):
    """A written consent to the processing of a minor's personal data (O6, §2.6.3).

    Anything that discloses data beyond the centre asks `ensure_disclosure_allowed`
    (recipients.actions), which looks for a consent in force that `covers` the scope.
    """

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="consents"
    )
    given_by = models.ForeignKey(
        Representative,
        verbose_name="кто дал согласие",
        on_delete=models.PROTECT,
        related_name="consents",
        null=True,
        blank=True,
        help_text="Законный представитель; пусто — согласие дал сам получатель (с 14 лет)",
    )
    given_on = models.DateField("дата согласия", validators=[PastEvent("Дата согласия")])
    covers_processing = models.BooleanField("обработка персональных данных", default=True)
    third_parties = models.TextField(
        "передача третьим лицам",
        blank=True,
        help_text="Кому разрешена передача сведений: по одной организации или лицу в строке",
    )
    covers_media = models.BooleanField("средства массовой информации", default=False)
    covers_website = models.BooleanField("официальный сайт центра", default=False)
    withdrawn_on = models.DateField(
        "дата отзыва", null=True, blank=True, validators=[PastEvent("Дата отзыва")]
    )
    withdrawal_note = models.CharField("основание отзыва", max_length=300, blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                violation_error_message="Согласие нельзя отозвать раньше, чем оно дано.",
            ),
        ]

    def __str__(self) -> str:
        return f"Согласие от {self.given_on:%d.%m.%Y} ({self.recipient})"

    @property
    def third_party_list(self) -> list[str]:
        return [line.strip() for line in self.third_parties.splitlines() if line.strip()]

    def is_in_force_on(self, d: date) -> bool:
        return (
            self.archived_at is None
            and self.given_on <= d
            and (self.withdrawn_on is None or self.withdrawn_on > d)
        )

    def covers(
        self, scope: ConsentScope | str, third_party: str | None = None, on: date | None = None
    ) -> bool:
        """Whether this consent, in force on `on` (today by default), allows `scope`; a
        transfer needs the third party named in the consent."""
        on = on or timezone.localdate()
        if not self.is_in_force_on(on):
            return False
        scope = ConsentScope(scope)
        if scope == ConsentScope.PROCESSING:
            return self.covers_processing
        if scope == ConsentScope.MEDIA:
            return self.covers_media
        if scope == ConsentScope.WEBSITE:
            return self.covers_website
        if not third_party:
            return False
        wanted = _party_key(third_party)
        return any(_party_key(p) == wanted for p in self.third_party_list)

    @property
    def scope_labels(self) -> list[str]:
        labels = []
        if self.covers_processing:
            labels.append(ConsentScope.PROCESSING.label)
        if self.third_party_list:
            labels.append(f"передача: {', '.join(self.third_party_list)}")
        if self.covers_media:
            labels.append(ConsentScope.MEDIA.label)
        if self.covers_website:
            labels.append(ConsentScope.WEBSITE.label)
        return labels


def _party_key(name: str) -> str:
    """«ОПДН ОМВД России по Белгородскому району» and «опдн  омвд россии …» are one party."""
    return normalise_search(re.sub(r"[«»\"'.,]", " ", name))
