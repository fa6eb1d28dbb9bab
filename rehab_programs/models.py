"""Diagnostics of the minor (O15), the individual programme of social rehabilitation — ИПСРН —
with its versions and activities (O16–O20), and the final conclusion (O21, O25).

Terms are computed here, from dates, at read time (never stored):

- primary diagnostics: by the 10th working day after the first day of stay (O15, §3.4);
- the ИПСРН: by the 10th working day after the primary diagnostics results (O16, §3.4.1) —
  "the results" are taken as received on the date of the last primary diagnostic session;
- the quarterly revision (O19, §3.4.5): see `quarter_after`.

A version of the programme takes effect only through a decision of the ПМП консилиум
(consilium.actions.record_decision → rehab_programs.actions.approve_version), which writes the
protocol's number and date into the version (O20).
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation import calendar
from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent, PlannedEvent
from organisation.links import record_url
from organisation.models import ArchivableModel, TimeStampedModel
from recipients.models import Recipient, Representative

PRIMARY_DIAGNOSTICS_WORKING_DAYS = 10  # O15, §3.4
PROGRAMME_WORKING_DAYS = 10  # O16, §3.4.1
REVISION_MONTHS = 3  # O19, §3.4.5: «не реже 1 раза в квартал»


def quarter_after(start: date) -> date:
    """The last day of the quarterly revision term that begins on `start` (O19).

    Our reading of «не реже 1 раза в квартал», counted from the last approval or review of the
    programme by the consilium, as a term in months of the Civil Code: art. 192 — the term ends
    on the same date three months later, or on the last day of that month when it has no such
    date (30 November → 28/29 February); art. 193 — a last day that is not a working day moves
    to the next working day.
    """
    month_index = start.month - 1 + REVISION_MONTHS
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, month_calendar.monthrange(year, month)[1])
    return calendar.next_working_day(date(year, month, day))


def primary_diagnostics_due(first_day_of_stay: date) -> date:
    """O15: the 10th working day after the first day of stay."""
    return calendar.add_working_days(first_day_of_stay, PRIMARY_DIAGNOSTICS_WORKING_DAYS)


def rehab_programme_due(primary_results_on: date) -> date:
    """O16: the 10th working day after the primary diagnostics results were received."""
    return calendar.add_working_days(primary_results_on, PROGRAMME_WORKING_DAYS)


# --- Diagnostics (O15) -------------------------------------------------------------------------


class Stage(models.TextChoices):
    PRIMARY = "primary", "первичная"
    INTERMEDIATE = "intermediate", "промежуточная"
    FINAL = "final", "итоговая"


class Area(models.TextChoices):
    PSYCHOLOGICAL = "psychological", "психологическая"
    PEDAGOGICAL = "pedagogical", "педагогическая"
    SOCIAL = "social", "социальная"
    MEDICAL = "medical", "медицинская"


class SessionForm(models.TextChoices):
    INDIVIDUAL = "individual", "индивидуальная"
    GROUP = "group", "групповая"


# The catalogue service a diagnostic session is logged as in the journal of services (P14).
# Psychological: 3.3.1 / 3.3.2; pedagogical: 4.1.1 / 4.1.2 (the Order names them). Our choice
# for the two areas the catalogue has no diagnostic service of their own: social diagnostics is
# done by the social pedagogue within social-pedagogical correction «включая диагностику», so
# 4.1.1 / 4.1.2; medical diagnostics is the nurse's observation «в целях выявления отклонений в
# состоянии здоровья», which the catalogue places under 2.4 (either form).
DIAGNOSTIC_SERVICES: dict[tuple[str, str], str] = {
    (Area.PSYCHOLOGICAL, SessionForm.INDIVIDUAL): "3.3.1",
    (Area.PSYCHOLOGICAL, SessionForm.GROUP): "3.3.2",
    (Area.PEDAGOGICAL, SessionForm.INDIVIDUAL): "4.1.1",
    (Area.PEDAGOGICAL, SessionForm.GROUP): "4.1.2",
    (Area.SOCIAL, SessionForm.INDIVIDUAL): "4.1.1",
    (Area.SOCIAL, SessionForm.GROUP): "4.1.2",
    (Area.MEDICAL, SessionForm.INDIVIDUAL): "2.4",
    (Area.MEDICAL, SessionForm.GROUP): "2.4",
}


class DiagnosticQuerySet(ScopedQuerySet["Diagnostic"]):
    department_lookup = "recipient__department"

    def active(self) -> DiagnosticQuerySet:
        return self.filter(archived_at__isnull=True)


class Diagnostic(TimeStampedModel, ArchivableModel):
    """One diagnostic session of one minor: stage, area, form, methods, results (O15)."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="diagnostics"
    )
    stage = models.CharField("вид диагностики", max_length=12, choices=Stage.choices)
    area = models.CharField("направление", max_length=14, choices=Area.choices)
    form = models.CharField(
        "форма", max_length=10, choices=SessionForm.choices, default=SessionForm.INDIVIDUAL
    )
    conducted_on = models.DateField("дата проведения", validators=[PastEvent("Дата проведения")])
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто провёл",
        on_delete=models.PROTECT,
        related_name="diagnostics",
    )
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин", default=45)
    methods = models.TextField("методики", help_text="Названия методик и инструментария")
    results = models.TextField("результаты")
    conclusions = models.TextField("выводы и рекомендации", blank=True)
    ending_advisable = models.BooleanField(
        "прекращение обслуживания целесообразно",
        null=True,
        blank=True,
        help_text="Решение итоговой диагностики (п. 3.4, 3.4.7)",
    )
    service_record = models.ForeignKey(
        "services.ServiceRecord",
        verbose_name="запись журнала учета услуг",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = DiagnosticQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "диагностика и обследование личности"
        verbose_name_plural = "диагностика и обследование личности"
        ordering = ["-conducted_on", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "stage", "conducted_on"], name="diagnostic_stage"),
            # The last primary diagnostic of a stay (O15, O16), read from the index alone.
            models.Index(
                fields=["recipient", "conducted_on"],
                condition=models.Q(stage="primary", archived_at__isnull=True),
                name="diagnostic_primary",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_stage_display().capitalize()} {self.get_area_display()} диагностика "
            f"от {self.conducted_on:%d.%m.%Y}"
        )

    @property
    def service_code(self) -> str:
        return DIAGNOSTIC_SERVICES[(self.area, self.form)]

    @property
    def is_final(self) -> bool:
        return self.stage == Stage.FINAL

    @property
    def decision_text(self) -> str:
        """O37: what the final diagnostics decided about ending the service, in words."""
        if self.ending_advisable is None:
            return ""
        if self.ending_advisable:
            return "прекращение социального обслуживания целесообразно"
        return "прекращение социального обслуживания нецелесообразно"


# --- The ИПСРН (O16–O20) -----------------------------------------------------------------------


class RehabProgrammeQuerySet(ScopedQuerySet["RehabProgramme"]):
    department_lookup = "recipient__department"


class RehabProgramme(TimeStampedModel, ArchivableModel):
    """The ИПСРН of one minor for one stay: drawn up on the primary diagnostics (O16), changed
    only by consilium decisions through its versions (O19, O20)."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="rehab_programmes",
    )
    drawn_up_on = models.DateField("дата составления", validators=[PastEvent("Дата составления")])
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный специалист (куратор)",
        on_delete=models.PROTECT,
        related_name="curated_programmes",
    )
    goal = models.TextField("цель реабилитации", blank=True)
    # O17: the minor is told what the programme means …
    minor_explained_on = models.DateField(
        "дата разъяснения ребёнку",
        null=True,
        blank=True,
        validators=[PastEvent("Дата разъяснения")],
    )
    minor_explanation = models.TextField(
        "разъяснительная работа с ребёнком",
        blank=True,
        help_text="Что и как разъяснено, как ребёнок отнёсся к программе",
    )
    # … and the parent may see it, unless that harms the minor.
    parent_familiarised_on = models.DateField(
        "дата ознакомления родителя",
        null=True,
        blank=True,
        validators=[PastEvent("Дата ознакомления")],
    )
    parent_familiarised = models.ForeignKey(
        Representative,
        verbose_name="ознакомлен законный представитель",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    parent_info_withheld = models.BooleanField(
        "информирование родителя противоречит интересам ребёнка", default=False
    )
    withheld_reason = models.TextField("причина, по которой родитель не информируется", blank=True)
    # O19: a consilium review that continued the programme without changes also counts as the
    # quarterly revision; the decision itself lives in consilium.Decision.
    continued_on = models.DateField(
        "рассмотрена консилиумом без изменений",
        null=True,
        blank=True,
        editable=False,
        validators=[PastEvent("Дата продолжения")],
    )
    continued_protocol = models.CharField(
        "протокол рассмотрения без изменений", max_length=60, blank=True, editable=False
    )

    objects = RehabProgrammeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ИПСРН"
        verbose_name_plural = "ИПСРН"
        ordering = ["-drawn_up_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="programme_withheld_has_reason_O17",
                condition=models.Q(parent_info_withheld=False) | ~models.Q(withheld_reason=""),
                violation_error_message="Укажите, почему информирование родителя противоречит "
                "интересам ребёнка.",
            ),
            models.CheckConstraint(
                name="programme_withheld_not_familiarised_O17",
                condition=models.Q(parent_info_withheld=False)
                | models.Q(parent_familiarised_on__isnull=True),
                violation_error_message="Родитель не может быть ознакомлен, если информирование "
                "противоречит интересам ребёнка.",
            ),
        ]
        indexes = [
            # the deadline register: the first programme of a stay (O16), one row by index
            models.Index(
                fields=["recipient", "drawn_up_on"],
                condition=models.Q(archived_at__isnull=True),
                name="programme_drawn_up",
            )
        ]

    def __str__(self) -> str:
        return f"ИПСРН от {self.drawn_up_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return record_url("rehab_programs:programme", self.pk)

    # The versions are prefetched by the selectors; these read them without queries.
    def _versions(self) -> list[ProgrammeVersion]:
        return sorted(self.versions.all(), key=lambda v: v.number)

    @property
    def approved_versions(self) -> list[ProgrammeVersion]:
        return [v for v in self._versions() if v.status == VersionStatus.APPROVED]

    @property
    def current_version(self) -> ProgrammeVersion | None:
        approved = self.approved_versions
        return approved[-1] if approved else None

    @property
    def open_version(self) -> ProgrammeVersion | None:
        """The version proposed and waiting for the consilium (at most one)."""
        return next((v for v in self._versions() if v.status == VersionStatus.PROPOSED), None)

    @property
    def is_in_force(self) -> bool:
        return self.current_version is not None

    @property
    def last_reviewed_on(self) -> date | None:
        """The last approval or revision by the consilium (O19): the protocol date of the last
        approved version, or a later «continue without changes» decision recorded on it."""
        dates = [v.protocol_date for v in self.approved_versions if v.protocol_date]
        if self.continued_on:
            dates.append(self.continued_on)
        return max(dates) if dates else None

    @property
    def revision_due(self) -> date | None:
        """O19: the next consilium revision is due by this date (see `quarter_after`)."""
        last = self.last_reviewed_on
        return quarter_after(last) if last else None

    def revision_overdue(self, today: date) -> bool:
        due = self.revision_due
        return due is not None and today > due


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", "предложена, ждёт решения консилиума"
    APPROVED = "approved", "утверждена консилиумом"
    REJECTED = "rejected", "отклонена"


class ProgrammeVersionQuerySet(ScopedQuerySet["ProgrammeVersion"]):
    department_lookup = "programme__recipient__department"


class ProgrammeVersion(TimeStampedModel):
    """A version of the ИПСРН: the first one (the programme as drawn up) or a revision proposed
    by specialists on intermediate diagnostics, the minor's opinion and a survey of the parents
    (O19). It takes effect only when the consilium approves it; then it records the protocol's
    number and date and the list of changes (O20)."""

    programme = models.ForeignKey(
        RehabProgramme, verbose_name="ИПСРН", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("редакция №")
    status = models.CharField(
        "состояние", max_length=10, choices=VersionStatus.choices, default=VersionStatus.PROPOSED
    )
    proposed_on = models.DateField("дата предложения", validators=[PastEvent("Дата предложения")])
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто предложил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = models.TextField(
        "перечень изменений и дополнений", blank=True, help_text="По одному изменению в строке"
    )
    diagnostics = models.ManyToManyField(
        Diagnostic,
        verbose_name="результаты диагностики",
        related_name="programme_versions",
        blank=True,
    )
    minor_opinion = models.TextField("мнение и пожелания ребёнка", blank=True)
    parents_survey = models.TextField(
        "результаты опроса родителей (законных представителей)",
        blank=True,
        help_text="Об изменениях в состоянии и поведении ребёнка",
    )
    protocol_number = models.CharField("номер протокола консилиума", max_length=20, blank=True)
    protocol_date = models.DateField(
        "дата протокола консилиума", null=True, blank=True, validators=[PastEvent("Дата протокола")]
    )

    objects = ProgrammeVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "редакция ИПСРН"
        verbose_name_plural = "редакции ИПСРН"
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=models.Q(status="proposed"),
                name="version_one_open_per_programme",
                violation_error_message="Уже есть предложенная редакция, ждущая решения "
                "консилиума.",
            ),
            models.CheckConstraint(
                name="version_approved_has_protocol_O20",
                condition=~models.Q(status="approved")
                | (~models.Q(protocol_number="") & models.Q(protocol_date__isnull=False)),
                violation_error_message="Утверждённая редакция должна ссылаться на протокол "
                "консилиума (номер и дата).",
            ),
        ]
        indexes = [
            # The last approval of a programme (O19), read from the index alone.
            models.Index(
                fields=["programme", "protocol_date"],
                condition=models.Q(status="approved", protocol_date__isnull=False),
                name="version_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"Редакция № {self.number} ({self.get_status_display()})"

    @property
    def is_revision(self) -> bool:
        return self.number > 1

    @property
    def basis_text(self) -> str:
        """All the text the printed ИПСРН shows in this version's row: its length lets a very
        long row split across pages (`|breakable`)."""
        parts = [self.changes, self.minor_opinion, self.parents_survey]
        parts += [d.results for d in self.diagnostics.all()]
        return "\n".join(p for p in parts if p)

    @property
    def protocol_text(self) -> str:
        if not self.protocol_date:
            return ""
        return f"протокол № {self.protocol_number} от {self.protocol_date:%d.%m.%Y}"

    @property
    def changes_list(self) -> list[str]:
        return [line.strip(" -—•") for line in self.changes.splitlines() if line.strip(" -—•")]

    @property
    def is_approved(self) -> bool:
        return self.status == VersionStatus.APPROVED


class ActivityQuerySet(ScopedQuerySet["Activity"]):
    department_lookup = "programme__recipient__department"


class Activity(TimeStampedModel):
    """A rehabilitation activity of the programme: a catalogue service or a described activity,
    its responsible specialist, term, expected result and the actual result with its date (O20).

    An activity belongs to the programme from the version that added it and until the version
    that withdrew it — both count only once the consilium approves them."""

    programme = models.ForeignKey(
        RehabProgramme, verbose_name="ИПСРН", on_delete=models.PROTECT, related_name="activities"
    )
    added_in = models.ForeignKey(
        ProgrammeVersion,
        verbose_name="включено редакцией",
        on_delete=models.PROTECT,
        related_name="added_activities",
    )
    removed_in = models.ForeignKey(
        ProgrammeVersion,
        verbose_name="исключено редакцией",
        on_delete=models.PROTECT,
        related_name="removed_activities",
        null=True,
        blank=True,
    )
    service = models.ForeignKey(
        "services.Service",
        verbose_name="услуга по справочнику",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    description = models.TextField(
        "мероприятие", blank=True, help_text="Если мероприятие не из справочника — опишите его"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный специалист",
        on_delete=models.PROTECT,
        related_name="rehab_activities",
    )
    due_on = models.DateField("срок выполнения", validators=[PlannedEvent("Срок выполнения")])
    expected_result = models.TextField("ожидаемый результат")
    actual_result = models.TextField("фактический результат", blank=True)
    done_on = models.DateField(
        "дата выполнения", null=True, blank=True, validators=[PastEvent("Дата выполнения")]
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "реабилитационное мероприятие"
        verbose_name_plural = "реабилитационные мероприятия"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="activity_service_or_description",
                condition=models.Q(service__isnull=False) | ~models.Q(description=""),
                violation_error_message="Выберите услугу из справочника или опишите мероприятие.",
            ),
            models.CheckConstraint(
                name="activity_result_has_date",
                condition=models.Q(done_on__isnull=True) | ~models.Q(actual_result=""),
                violation_error_message="Укажите фактический результат.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.service_id and self.service is not None:
            text = f"{self.service.code} {self.service.display_name}"
            return f"{text}: {self.description}" if self.description else text
        return self.description

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and today > self.due_on

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_on

    @property
    def is_in_force(self) -> bool:
        """Included by an approved version of the ИПСРН and not withdrawn by one (O20)."""
        added = self.added_in.status == VersionStatus.APPROVED
        removed = self.removed_in is not None and self.removed_in.status == VersionStatus.APPROVED
        return added and not removed


# --- Proposals to change the ИПСРН by the specialists who carry it out (O37, §3.4.5) ----------


class ChangeProposalQuerySet(ScopedQuerySet["ChangeProposal"]):
    department_lookup = "programme__recipient__department"
    recipient_lookup = "programme__recipient"


class ChangeProposal(TimeStampedModel):
    """A specialist carrying out the ИПСРН (its curator or one responsible for an activity)
    proposes to change it: what and why. It goes to the agenda of the consilium's next meeting
    on the child, which decides (`consilium.AgendaItem.proposals`)."""

    programme = models.ForeignKey(
        RehabProgramme,
        verbose_name="ИПСРН",
        on_delete=models.PROTECT,
        related_name="change_proposals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто предлагает",
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_on = models.DateField("дата предложения", validators=[PastEvent("Дата предложения")])
    what = models.TextField("что изменить")
    why = models.TextField("обоснование")

    objects = ChangeProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "предложение об изменении ИПСРН"
        verbose_name_plural = "предложения об изменении ИПСРН"
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return f"Предложение от {self.proposed_on:%d.%m.%Y}: {self.what[:60]}"


# --- The final conclusion (O21, O25) -----------------------------------------------------------


class ConclusionQuerySet(ScopedQuerySet["Conclusion"]):
    department_lookup = "recipient__department"


class Conclusion(TimeStampedModel, ArchivableModel):
    """The conclusion on the results of the ИПСРН and the recommendations, drawn up on the final
    diagnostics (O21) and handed to the parents under signature on discharge (O25); printed in
    two copies: for the parents and for the personal file."""

    recipient = models.ForeignKey(
        Recipient, verbose_name="получатель", on_delete=models.PROTECT, related_name="conclusions"
    )
    programme = models.ForeignKey(
        RehabProgramme,
        verbose_name="ИПСРН",
        on_delete=models.PROTECT,
        related_name="conclusions",
        null=True,
        blank=True,
    )
    drawn_up_on = models.DateField("дата заключения", validators=[PastEvent("Дата заключения")])
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="составил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    diagnostics = models.ManyToManyField(
        Diagnostic, verbose_name="итоговая диагностика", related_name="final_conclusions"
    )
    results = models.TextField("результаты реализации ИПСРН")
    recommendations = models.TextField("рекомендации по дальнейшей работе с ребёнком")
    received_on = models.DateField(
        "дата получения родителем", null=True, blank=True, validators=[PastEvent("Дата получения")]
    )
    received_by = models.ForeignKey(
        Representative,
        verbose_name="получил под роспись",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = ConclusionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "заключение о результатах реализации ИПСРН"
        verbose_name_plural = "заключения о результатах реализации ИПСРН"
        ordering = ["-drawn_up_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="conclusion_receipt_complete_O25",
                condition=models.Q(received_on__isnull=True) | models.Q(received_by__isnull=False),
                violation_error_message="Укажите, кто из родителей получил заключение.",
            ),
        ]

    def __str__(self) -> str:
        return f"Заключение от {self.drawn_up_on:%d.%m.%Y}"

    @property
    def is_received(self) -> bool:
        return self.received_on is not None
