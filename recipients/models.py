"""Recipients (minors 3–18), their families and legal representatives; consent to the
processing of personal data (O6), the personal file (O13, O27, O28), the application, the
need-recognition protocol, the contract (O10) and the director's orders (O12, O24), and the log
of every opening of a personal card.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from organisation import calendar, text
from organisation.access import ScopedQuerySet
from organisation.models import ArchivableModel, Department, Role, TimeStampedModel

MIN_AGE = 3  # O1: minors from 3 …
MAX_AGE = 18  # … to 18 years (not yet 18 on the first day of stay)
OPINION_AGE = 10  # O27: the minor's opinion is asked from the age of ten


def normalise_search(text: str) -> str:
    """Lower case with «ё» as «е»: the form in which names are stored for search and searched.

    SQLite's LOWER() folds ASCII only, so the register searches a column kept in this form
    (`Recipient.search_text`) with a plain, case-sensitive `contains` — the same on every
    database.
    """
    return " ".join(text.lower().replace("ё", "е").split())


class Circumstance(models.TextChoices):
    """The circumstances of need of §1.4 of the Order (O1); several may apply."""

    ADAPTATION = "adaptation", "Ребёнок испытывает трудности в социальной адаптации"
    FAMILY_CONFLICT = (
        "family_conflict",
        "Внутрисемейный конфликт (в том числе с лицами с зависимостями, психическими "
        "расстройствами), насилие в семье",
    )
    DAMAGE = (
        "damage",
        "Имущественный ущерб, утрата здоровья или жилья в результате чрезвычайных ситуаций, "
        "конфликтов, противоправных действий других лиц",
    )


class IdentityDocumentKind(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", "свидетельство о рождении"
    PASSPORT = "passport", "паспорт"


class Sex(models.TextChoices):
    MALE = "male", "мужской"
    FEMALE = "female", "женский"


class RecipientStatus(models.TextChoices):
    APPLICANT = "applicant", "Заявитель"
    ENROLLED = "enrolled", "Зачислен"
    DISCHARGED = "discharged", "Снят с обслуживания"


def age_on(birth_date: date, on: date) -> int:
    """Full years on a date (a birthday on 29 February counts from 1 March in other years)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class FamilyQuerySet(ScopedQuerySet["Family"]):
    department_lookup = "department"


class Family(TimeStampedModel, ArchivableModel):
    """A household. Patronage cases are opened on a family; its children are recipients."""

    name = models.CharField("семья", max_length=200, help_text="Например: семья Ивановых")
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="families"
    )
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=60, blank=True)
    notes = models.TextField("примечания", blank=True)
    composition = models.TextField(
        "прочие члены семьи",
        blank=True,
        help_text="Кто ещё живёт с ребёнком: ФИО, кем приходится, год рождения — по строке",
    )

    objects = FamilyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "семья"
        verbose_name_plural = "семьи"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RecipientQuerySet(ScopedQuerySet["Recipient"]):
    department_lookup = "department"

    def active(self) -> RecipientQuerySet:
        return self.filter(archived_at__isnull=True)

    def enrolled_on(self, d: date) -> RecipientQuerySet:
        """Recipients in service on date `d`: first day of stay on or before it, not yet left."""
        return self.filter(first_day_of_stay__lte=d).filter(
            models.Q(discharged_on__isnull=True) | models.Q(discharged_on__gte=d)
        )


class Recipient(TimeStampedModel, ArchivableModel):
    """A minor recognised as in need of social services (O1)."""

    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=6, choices=Sex.choices)
    birth_date = models.DateField("дата рождения")
    family = models.ForeignKey(
        Family,
        verbose_name="семья",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department, verbose_name="отделение", on_delete=models.PROTECT, related_name="recipients"
    )
    status = models.CharField(
        "статус", max_length=12, choices=RecipientStatus.choices, default=RecipientStatus.APPLICANT
    )
    snils = models.CharField("СНИЛС", max_length=14, blank=True, help_text="ХХХ-ХХХ-ХХХ ХХ")
    identity_document_kind = models.CharField(
        "документ, удостоверяющий личность",
        max_length=20,
        choices=IdentityDocumentKind.choices,
        default=IdentityDocumentKind.BIRTH_CERTIFICATE,
    )
    identity_document = models.CharField(
        "серия и номер, кем и когда выдан",
        max_length=300,
        blank=True,
        help_text="Например: II-ЛЕ № 123456, отдел ЗАГС г. Белгорода, 12.03.2015",
    )
    oms_policy = models.CharField("полис ОМС", max_length=30, blank=True)
    address = models.CharField("адрес проживания", max_length=500, blank=True)
    school = models.CharField(
        "школа, детский сад", max_length=300, blank=True, help_text="Образовательная организация"
    )
    circumstances = models.JSONField(
        "обстоятельства нуждаемости (п. 1.4)",
        default=list,
        blank=True,
        help_text="Коды из перечня п. 1.4 Порядка; может быть несколько.",
    )
    has_disability = models.BooleanField("ребёнок-инвалид", default=False)
    ipra = models.CharField(
        "ИПРА",
        max_length=300,
        blank=True,
        help_text="Индивидуальная программа реабилитации или абилитации: номер, дата, срок",
    )
    has_life_limitations = models.BooleanField(
        "ограничения жизнедеятельности",
        default=False,
        help_text="Без инвалидности: по заключению ПМПК, медицинской организации и т. п. (O32).",
    )
    health_document = models.CharField(
        "документ об инвалидности или ограничениях",
        max_length=300,
        blank=True,
        help_text="Например: справка МСЭ серия МСЭ-2023 № 1234567 от 12.03.2024; "
        "заключение ПМПК № 45 от 01.02.2025",
    )
    health_status_until = models.DateField(
        "установлено до",
        null=True,
        blank=True,
        help_text="Срок, до которого установлена инвалидность или действует заключение; "
        "пусто — бессрочно.",
    )
    search_text = models.CharField(
        "строка поиска", max_length=700, blank=True, editable=False, db_index=True
    )
    first_day_of_stay = models.DateField(
        "первый день пребывания",
        null=True,
        blank=True,
        editable=False,
        help_text="Устанавливается утверждением приказа о зачислении; от него считаются сроки.",
    )
    discharged_on = models.DateField(
        "дата снятия с обслуживания", null=True, blank=True, editable=False
    )

    objects = RecipientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "получатель социальных услуг"
        verbose_name_plural = "получатели социальных услуг"
        ordering = ["last_name", "first_name", "patronymic", "pk"]
        permissions = [("archive_recipient", "Перевод получателя в архив")]
        constraints = [
            models.UniqueConstraint(
                fields=["snils"],
                condition=~models.Q(snils=""),
                name="recipient_snils_unique",
                violation_error_message="Получатель с таким СНИЛС уже зарегистрирован.",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="recipient_dept_status"),
            models.Index(fields=["last_name", "first_name"], name="recipient_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        # A derived column, not workflow: the normalised text the register searches.
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def build_search_text(self, family_name: str | None = None) -> str:
        if family_name is None:
            family_name = self.family.name if self.family_id and self.family else ""
        parts = [self.last_name, self.first_name, self.patronymic, family_name]
        digits = re.sub(r"\D", "", self.snils or "")
        return normalise_search(" ".join([*parts, digits]))

    def get_absolute_url(self) -> str:
        return reverse("recipients:detail", args=[self.pk])

    def get_circumstances_display(self) -> list[str]:
        labels = dict(Circumstance.choices)
        return [labels.get(c, c) for c in self.circumstances or []]

    @property
    def full_name(self) -> str:
        return text.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return text.short_name(self.last_name, self.first_name, self.patronymic)

    def age_on(self, d: date) -> int:
        return age_on(self.birth_date, d)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def is_enrolled_on(self, d: date) -> bool:
        return (
            self.first_day_of_stay is not None
            and self.first_day_of_stay <= d
            and (self.discharged_on is None or self.discharged_on >= d)
        )


class RepresentativeQuerySet(ScopedQuerySet["Representative"]):
    department_lookup = "family__department"


class Representative(TimeStampedModel, ArchivableModel):
    """A parent, guardian or trustee: a member of the family who acts for the minor."""

    family = models.ForeignKey(
        Family, verbose_name="семья", on_delete=models.PROTECT, related_name="representatives"
    )
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=6, choices=Sex.choices, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    phone = models.CharField("телефон", max_length=60, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    id_document = models.CharField(
        "документ, удостоверяющий личность",
        max_length=300,
        blank=True,
        help_text="Вид, серия, номер, кем и когда выдан",
    )

    objects = RepresentativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "законный представитель"
        verbose_name_plural = "законные представители"
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return text.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return text.short_name(self.last_name, self.first_name, self.patronymic)


class Relation(models.TextChoices):
    MOTHER = "mother", "мать"
    FATHER = "father", "отец"
    GUARDIAN = "guardian", "опекун"
    TRUSTEE = "trustee", "попечитель"
    FOSTER_PARENT = "foster", "приёмный родитель"
    OTHER = "other", "иной законный представитель"


# «являющаяся матерью»: the relation as documents write it after «являться».
RELATION_INSTRUMENTAL = {
    Relation.MOTHER: "матерью",
    Relation.FATHER: "отцом",
    Relation.GUARDIAN: "опекуном",
    Relation.TRUSTEE: "попечителем",
    Relation.FOSTER_PARENT: "приёмным родителем",
    Relation.OTHER: "законным представителем",
}


class RepresentationQuerySet(ScopedQuerySet["Representation"]):
    department_lookup = "recipient__department"


class Representation(TimeStampedModel):
    """Who represents which child, and in what capacity."""

    recipient = models.ForeignKey(
        Recipient,
        verbose_name="получатель",
        on_delete=models.PROTECT,
        related_name="representations",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name="представитель",
        on_delete=models.PROTECT,
        related_name="representations",
    )
    relation = models.CharField("кем приходится", max_length=10, choices=Relation.choices)

    objects = RepresentationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "представительство"
        verbose_name_plural = "представительства"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "representative"], name="representation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} — {self.get_relation_display()} ({self.recipient})"

    @property
    def relation_instrumental(self) -> str:
        return RELATION_INSTRUMENTAL.get(Relation(self.relation), "законным представителем")


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
    given_on = models.DateField("дата согласия")
    covers_processing = models.BooleanField("обработка персональных данных", default=True)
    third_parties = models.TextField(
        "передача третьим лицам",
        blank=True,
        help_text="Кому разрешена передача сведений: по одной организации или лицу в строке",
    )
    covers_media = models.BooleanField("средства массовой информации", default=False)
    covers_website = models.BooleanField("официальный сайт центра", default=False)
    withdrawn_on = models.DateField("дата отзыва", null=True, blank=True)
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
MAX_SCAN_SIZE = 10 * 1024 * 1024


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
    received_on = models.DateField("дата поступления")
    scan = models.FileField("скан", upload_to=scan_path, blank=True, max_length=300)
    scan_name = models.CharField("имя файла", max_length=255, blank=True, editable=False)
    scan_type = models.CharField("тип файла", max_length=40, blank=True, editable=False)
    scan_size = models.PositiveIntegerField("размер файла, байт", default=0, editable=False)
    certified_on = models.DateField("дата заверения", null=True, blank=True)
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
    submitted_on = models.DateField("дата заявления")
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
    decided_on = models.DateField("дата протокола")
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
    concluded_on = models.DateField("дата договора")
    term = models.CharField(
        "срок", max_length=10, choices=ContractTerm.choices, default=ContractTerm.TEMPORARY
    )
    valid_until = models.DateField("действует до", null=True, blank=True)
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


# --- Orders of the director (O12, O24) --------------------------------------------------------


class OrderKind(models.TextChoices):
    ENROLMENT = "enrolment", "о зачислении на социальное обслуживание"
    DISCHARGE = "discharge", "о снятии с социального обслуживания"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Проект"
    APPROVED = "approved", "Утверждён"
    RETURNED = "returned", "Возвращён на доработку"


class OrderQuerySet(ScopedQuerySet["Order"]):
    department_lookup = "recipient__department"
    write_roles = frozenset({Role.HEAD})


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

    def get_absolute_url(self) -> str:
        return reverse("recipients:order", args=[self.pk])


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
    reported_on = models.DateField("дата сообщения")
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
    reviewed_on = models.DateField("дата рассмотрения", null=True, blank=True)
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
    on = models.DateField("дата ознакомления")
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
    handed_over_on = models.DateField("принято на хранение")
    returned_on = models.DateField("возвращено", null=True, blank=True)
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
    answered_on = models.DateField("дата анкетирования")
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
