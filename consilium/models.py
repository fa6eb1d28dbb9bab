"""The психолого-медико-педагогический консилиум (O14): its members set by the director's order,
its meetings with a protocol number sequential per year, the cases on the agenda and the
decision on each case: approve the ИПСРН, amend it, continue it, or recommend discharge on a
ground of O23 (O19, O24).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from organisation.access import ScopedQuerySet
from organisation.dates import PastEvent, PlannedEvent
from organisation.links import record_url
from organisation.models import Department, TimeStampedModel
from recipients.models import Recipient
from rehab_programs.models import ChangeProposal, ProgrammeVersion

# --- Membership (set by the director's order) -------------------------------------------------


class Composition(TimeStampedModel):
    """The membership of the consilium as approved by one order of the director. The latest
    order in force replaces the previous membership."""

    # Staff data of the centre, no personal data of minors: not scoped by department. Only the
    # director changes it (consilium.set_composition).
    SCOPE_EXEMPT = True

    order_number = models.CharField("номер приказа", max_length=20)
    order_date = models.DateField("дата приказа", validators=[PastEvent("Дата приказа")])
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="утвердил",
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "состав консилиума"
        verbose_name_plural = "составы консилиума"
        ordering = ["-order_date", "-pk"]
        permissions = [("set_composition", "Утверждение состава ПМП консилиума")]

    def __str__(self) -> str:
        return f"Приказ № {self.order_number} от {self.order_date:%d.%m.%Y}"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "председатель"
    SECRETARY = "secretary", "секретарь"
    MEMBER = "member", "член консилиума"


class Member(TimeStampedModel):
    SCOPE_EXEMPT = True  # part of the composition, see above

    composition = models.ForeignKey(
        Composition, verbose_name="состав", on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="сотрудник",
        on_delete=models.PROTECT,
        related_name="consilium_memberships",
    )
    role = models.CharField("роль в консилиуме", max_length=10, choices=MemberRole.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "член консилиума"
        verbose_name_plural = "члены консилиума"
        ordering = ["composition", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["composition", "user"], name="member_once"),
            models.UniqueConstraint(
                fields=["composition", "role"],
                condition=models.Q(role__in=["chair", "secretary"]),
                name="member_one_chair_one_secretary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.full_name} — {self.get_role_display()}"


# --- Meetings and protocols --------------------------------------------------------------------


class MeetingQuerySet(ScopedQuerySet["Meeting"]):
    department_lookup = "department"


class Meeting(TimeStampedModel):
    """A meeting of the consilium on the cases of one department; its protocol is numbered
    within the calendar year across the centre."""

    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("дата заседания", validators=[PlannedEvent("Дата заседания")])
    year = models.PositiveSmallIntegerField("год", editable=False)
    number = models.PositiveIntegerField("номер протокола", editable=False)
    composition = models.ForeignKey(
        Composition,
        verbose_name="состав консилиума",
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="подготовил",
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField("примечания", blank=True)
    # Who of the membership attended, as recorded after the meeting; the protocol lists them as
    # present and only they sign it. Empty: attendance not recorded yet.
    attendees = models.ManyToManyField(
        Member, verbose_name="присутствовали", related_name="meetings_attended", blank=True
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        verbose_name = "заседание ПМП консилиума"
        verbose_name_plural = "заседания ПМП консилиума"
        ordering = ["-held_on", "-number"]
        permissions = [
            ("prepare_meeting", "Подготовка заседания консилиума (повестка)"),
            ("record_decision", "Запись решений консилиума"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="meeting_protocol_number_per_year",
                violation_error_message="Протокол с таким номером в этом году уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return f"Протокол № {self.number} от {self.held_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return record_url("consilium:meeting", self.pk)

    @property
    def protocol_text(self) -> str:
        return f"№ {self.number} от {self.held_on:%d.%m.%Y}"


class AgendaItemQuerySet(ScopedQuerySet["AgendaItem"]):
    department_lookup = "meeting__department"


class AgendaItem(TimeStampedModel):
    """A case on the agenda: the minor, what is put before the consilium (the version of the
    ИПСРН proposed, the inputs) and, once decided, the decision."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="заседание", on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField("№ п/п")
    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="consilium_items",
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        verbose_name="редакция ИПСРН на рассмотрении",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
    )
    proposals = models.ManyToManyField(
        ChangeProposal,
        verbose_name="предложения специалистов об изменении ИПСРН",
        related_name="agenda_items",
        blank=True,
    )
    inputs = models.TextField(
        "представленные материалы",
        help_text="Результаты диагностики, мнение ребёнка, опрос родителей, выступления "
        "специалистов",
    )

    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вопрос повестки"
        verbose_name_plural = "вопросы повестки"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="item_position_unique"),
            models.UniqueConstraint(
                fields=["meeting", "recipient"],
                name="item_recipient_once_per_meeting",
                violation_error_message="Этот ребёнок уже есть в повестке заседания.",
            ),
        ]
        indexes = [
            # a meeting's items by the index alone: the meetings list counts the decisions on
            # them without reading the items' rows
            models.Index(fields=["meeting", "id"], name="item_meeting_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.recipient.full_name}"


class DecisionKind(models.TextChoices):
    APPROVE = "approve", "утвердить ИПСРН"
    AMEND = "amend", "внести изменения и дополнения в ИПСРН"
    CONTINUE = "continue", "продолжить реализацию ИПСРН без изменений"
    DISCHARGE = "discharge", "рекомендовать снятие с социального обслуживания"


class DischargeGround(models.TextChoices):
    """The grounds to stop services of §3.5 of the Order (O23)."""

    REFUSAL = "refusal", "письменное заявление родителя (законного представителя) об отказе"
    TERM_END = (
        "term_end",
        "окончание срока предоставления услуг по индивидуальной программе и (или) истечение "
        "срока действия договора",
    )
    BREACH = "breach", "нарушение условий договора"
    DEATH_OR_LIQUIDATION = (
        "death_or_liquidation",
        "смерть получателя или ликвидация (прекращение деятельности) поставщика",
    )


class DecisionQuerySet(ScopedQuerySet["Decision"]):
    department_lookup = "item__meeting__department"


class Decision(TimeStampedModel):
    """The consilium's decision on one case, recorded by the head (chair or secretary)."""

    item = models.OneToOneField(
        AgendaItem,
        verbose_name="вопрос повестки",
        on_delete=models.PROTECT,
        related_name="decision",
    )
    kind = models.CharField("решение", max_length=10, choices=DecisionKind.choices)
    changes = models.TextField("перечень изменений и дополнений", blank=True)
    ground = models.CharField(
        "основание прекращения (п. 3.5)", max_length=24, choices=DischargeGround.choices, blank=True
    )
    text = models.TextField("формулировка решения", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="записал",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "решение консилиума"
        verbose_name_plural = "решения консилиума"
        ordering = ["item"]
        constraints = [
            models.CheckConstraint(
                name="decision_discharge_has_ground_O23",
                condition=~models.Q(kind="discharge") | ~models.Q(ground=""),
                violation_error_message="Укажите основание прекращения обслуживания (п. 3.5).",
            ),
            models.CheckConstraint(
                name="decision_amend_lists_changes_O20",
                condition=~models.Q(kind="amend") | ~models.Q(changes=""),
                violation_error_message="Перечислите вносимые изменения и дополнения.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_discharge(self) -> bool:
        return self.kind == DecisionKind.DISCHARGE
