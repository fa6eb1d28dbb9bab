"""Reads of the recipients app: the register with its search and filters, duplicates, the quality
summary, the personal file's checklist and what still blocks enrolment."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Max, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from organisation.models import Department, User
from organisation.text import with_plural
from recipients.models import (
    CHECKLIST,
    MAX_AGE,
    MIN_AGE,
    SCORE_CRITERIA,
    Consent,
    ConsentScope,
    Document,
    Familiarisation,
    FamiliarisationKind,
    QualitySurvey,
    Recipient,
    RecipientStatus,
    enrolled_or_pending_q,
    enrolled_q,
    normalise_search,
)

# Age bands of the register filter: label, lowest age, highest age (inclusive).
AGE_BANDS = {
    "3-6": ("3–6 лет", 3, 6),
    "7-9": ("7–9 лет", 7, 9),
    "10-13": ("10–13 лет", 10, 13),
    "14-17": ("14–17 лет", 14, 17),
}

SORTS = {
    "name": ("last_name", "first_name", "patronymic", "pk"),
    "-name": ("-last_name", "-first_name", "-patronymic", "-pk"),
    "birth": ("birth_date", "pk"),
    "-birth": ("-birth_date", "-pk"),
    "stay": ("first_day_of_stay", "pk"),
    "-stay": ("-first_day_of_stay", "-pk"),
    "status": ("state", "last_name", "pk"),  # the annotation of `RecipientQuerySet.with_state`
    "department": ("department__name", "last_name", "pk"),
}


def _years_ago(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def search_terms(query: str) -> list[str]:
    """Each word of the query in the stored form; a SNILS typed with dashes or spaces becomes
    its digits."""
    query = query.strip()
    if re.fullmatch(r"[\d\s\-]+", query):
        digits = re.sub(r"\D", "", query)
        return [digits] if digits else []
    return [normalise_search(t) for t in query.split() if t.strip("-")]


def search_recipients(qs: QuerySet[Recipient], query: str) -> QuerySet[Recipient]:
    """Case-insensitive, «ё» = «е», on SQLite and PostgreSQL alike: every word of the query
    must occur in the normalised surname, name, patronymic, family name or SNILS digits."""
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs


def register(
    user: User,
    *,
    query: str = "",
    department: int | None = None,
    status: str = "",
    age_band: str = "",
    sort: str = "name",
    archived: bool = False,
    today: date | None = None,
    sex: str = "",
    circumstance: str = "",
    served_from: date | None = None,
    served_to: date | None = None,
) -> QuerySet[Recipient]:
    """The register of recipients (O26) as this user may see it, filtered and sorted. With a
    period (`served_from`, `served_to`) it lists the minors in service at some time in it, and
    the age band is the age on the period's last day (the reports link here)."""
    today = today or timezone.localdate()
    now = today  # the state (applicant, enrolled, discharged) is the state on this day
    if served_from or served_to:
        qs_served = served_between(
            Recipient.objects.all(), served_from or date.min, served_to or date.max
        )
        today = served_to or today
    base = Recipient.objects.visible_to(user)
    if status in RecipientStatus.values:
        base = base.in_state(status, now)
    if sort == "status":
        base = base.with_state(now)
    qs: QuerySet[Recipient] = base.select_related("department", "family")
    qs = qs.filter(archived_at__isnull=not archived)
    if query:
        qs = search_recipients(qs, query)
    if department:
        qs = qs.filter(department_id=department)
    if sex:
        qs = qs.filter(sex=sex)
    if circumstance:
        # The circumstances are a JSON list of codes: match the quoted code in its text, the same
        # on SQLite and PostgreSQL (a code is never part of another one within quotes).
        qs = qs.annotate(circ_text=Cast("circumstances", TextField())).filter(
            circ_text__contains=f'"{circumstance}"'
        )
    if served_from or served_to:
        qs = qs.filter(pk__in=qs_served.values("pk"))
    if age_band in AGE_BANDS:
        _label, low, high = AGE_BANDS[age_band]
        # Age between low and high: born after (today - (high+1) years), on/before (today - low).
        qs = qs.filter(
            birth_date__gt=_years_ago(today, high + 1), birth_date__lte=_years_ago(today, low)
        )
    return qs.order_by(*SORTS.get(sort, SORTS["name"]))


def find_duplicates(
    *, snils: str, last_name: str, first_name: str, patronymic: str, birth_date: date | None
) -> QuerySet[Recipient]:
    """Recipients anywhere in the centre with the same SNILS, or the same ФИО (case and «ё»
    ignored) and date of birth."""
    cond = Q()
    if snils:
        cond |= Q(snils=snils)
    if birth_date and last_name and first_name:
        name_prefix = normalise_search(
            " ".join(p for p in (last_name, first_name, patronymic) if p)
        )
        cond |= Q(birth_date=birth_date, search_text__startswith=name_prefix + " ") | Q(
            birth_date=birth_date, search_text=name_prefix
        )
    if not cond:
        return Recipient.objects.none()
    return Recipient.objects.filter(cond).select_related("department")


def quality_summary(surveys: QuerySet[QualitySurvey]) -> dict[str, Any]:
    """Averages per criterion and the count over a queryset of surveys (O5): one query."""
    return surveys.aggregate(count=Count("pk"), **{c: Avg(c) for c in SCORE_CRITERIA})


# --- The personal file and enrolment (O1, O12, O27, O28) --------------------------------------


def checklist(recipient: Recipient, documents: Iterable[Document] | None = None) -> list[dict]:
    """The §5.1 checklist: each kind with its documents and whether a certified copy is in."""
    if documents is None:
        documents = recipient.documents.filter(archived_at__isnull=True)
    by_kind: dict[str, list[Document]] = {}
    for d in documents:
        if d.archived_at is None:
            by_kind.setdefault(d.kind, []).append(d)
    rows = []
    for kind in CHECKLIST:
        docs = by_kind.get(kind, [])
        rows.append(
            {
                "kind": kind,
                "label": kind.label,
                "documents": docs,
                "present": bool(docs),
                "certified": any(d.is_certified for d in docs),
            }
        )
    return rows


def missing_documents(
    recipient: Recipient, documents: Iterable[Document] | None = None
) -> list[str]:
    """What the personal file still lacks (O27) or has uncertified (O28), in words."""
    missing = []
    for row in checklist(recipient, documents):
        if not row["present"]:
            missing.append(f"нет документа: {row['label']}")
        elif not row["certified"]:
            missing.append(f"копия не заверена «копия верна»: {row['label']}")
    return missing


def enrolment_missing(recipient: Recipient, first_day: date) -> list[str]:
    """Everything that blocks enrolment on `first_day`, in words (O1, O12, O27)."""
    missing: list[str] = []
    age = recipient.age_on(first_day)
    if not MIN_AGE <= age < MAX_AGE:
        missing.append(
            f"возраст на первый день пребывания {first_day:%d.%m.%Y} — {age} "
            f"(принимаются дети от {MIN_AGE} до {MAX_AGE} лет)"
        )
    if recipient.stay_open:
        if recipient.enrolment_pending:
            missing.append(
                f"получатель уже зачислен с {recipient.first_day_of_stay:%d.%m.%Y} "
                "(приказ утверждён)"
            )
        else:
            missing.append("получатель уже зачислен")
    elif recipient.discharged_on is not None and first_day <= recipient.discharged_on:
        missing.append(
            f"первый день пребывания должен быть позже даты снятия с обслуживания "
            f"{recipient.discharged_on:%d.%m.%Y}"
        )
    applications = [a for a in recipient.applications.all() if a.archived_at is None]
    if not applications:
        missing.append("нет заявления законного представителя")
    elif not any(a.opinion_recorded for a in applications):
        missing.append("в заявлении нет мнения ребёнка старше 10 лет или причины его неучёта")
    protocols = [p for p in recipient.need_recognitions.all() if p.archived_at is None]
    if not protocols:
        missing.append("нет протокола о признании нуждающимся (п. 1.4)")
    elif not any(p.circumstances for p in protocols):
        missing.append("в протоколе не указаны обстоятельства нуждаемости (п. 1.4)")
    if not any(c.archived_at is None for c in recipient.contracts.all()):
        missing.append("нет договора о предоставлении социальных услуг")
    missing.extend(missing_documents(recipient))
    missing.extend(familiarisation_missing(recipient))
    return missing


# The documents of §3.3.1 the minor and the parent are familiarised with on enrolment (O12).
ENROLMENT_FAMILIARISATION = (FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES)


def familiarisation_missing(recipient: Recipient) -> list[str]:
    """O12 (§3.3.1): on enrolment the minor and the parent (legal representative) are
    familiarised with the procedure and conditions of service and the internal rules. A record
    counts when it names the representative and, for a minor readmitted, is dated after the last
    discharge. Reads the prefetched `familiarisations` when there are any."""
    since = recipient.discharged_on
    done = {
        f.kind
        for f in recipient.familiarisations.all()
        if f.representative_id is not None and (since is None or f.on > since)
    }
    return [
        f"ребёнок и законный представитель не ознакомлены: {kind.label}"
        for kind in ENROLMENT_FAMILIARISATION
        if kind not in done
    ]


# --- Consent (O6) and familiarisation (O9) ---------------------------------------------------


def consent_covering(
    *,
    recipient: Recipient,
    scope: ConsentScope | str,
    third_party: str | None = None,
    on: date | None = None,
) -> Consent | None:
    on = on or timezone.localdate()
    for consent in Consent.objects.filter(recipient=recipient).in_force_on(on):
        if consent.covers(scope, third_party, on):
            return consent
    return None


def familiarisation_status(
    recipient: Recipient, rows: Iterable[Familiarisation] | None = None
) -> list[dict[str, Any]]:
    """Every document of O9 with the latest familiarisation, or None where it is missing."""
    if rows is None:
        rows = recipient.familiarisations.all()
    latest: dict[str, Familiarisation] = {}
    for row in rows:
        if row.kind not in latest or row.on >= latest[row.kind].on:
            latest[row.kind] = row
    return [
        {"kind": value, "label": label, "row": latest.get(value)}
        for value, label in FamiliarisationKind.choices
    ]


def served_between(qs: QuerySet[Recipient], start: date, end: date) -> QuerySet[Recipient]:
    """Recipients with a stay overlapping [start, end] (both included), from the director's
    approved orders: a stay runs from an enrolment order to the next discharge order, the day of
    discharge included. The latest enrolment on or before `end` opens a stay that reaches into
    the period unless a discharge dated on or after that enrolment and before `start` closed it;
    earlier stays end earlier still. Read through the orders' reverse relation, with two
    aggregates per minor, so a minor discharged and readmitted is listed once."""
    approved = Q(orders__status="approved")
    return (
        qs.annotate(
            last_enrolment=Max(
                "orders__effective_on",
                filter=approved & Q(orders__kind="enrolment", orders__effective_on__lte=end),
            ),
            last_discharge=Max(
                "orders__effective_on",
                filter=approved & Q(orders__kind="discharge", orders__effective_on__lt=start),
            ),
        )
        .filter(last_enrolment__isnull=False)
        .filter(Q(last_discharge__isnull=True) | Q(last_discharge__lt=F("last_enrolment")))
    )


# --- Places for daytime sleep (O36) ------------------------------------------------------------


def _count_by_department(qs: QuerySet[Recipient], q: Q) -> dict[int, int]:
    rows = (
        qs.filter(archived_at__isnull=True)
        .filter(q)
        .values("department")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["department"]: r["n"] for r in rows}


def enrolled_counts(qs: QuerySet[Recipient], on: date | None = None) -> dict[int, int]:
    """The minors of `qs` in service on `on` (today by default), archived ones left out, by
    department id: the one count of «enrolled» behind the dashboards and the register
    (`enrolled_q`, the condition of `RecipientQuerySet.enrolled`). One query."""
    return _count_by_department(qs, enrolled_q(on or timezone.localdate()))


def enrolled_count(department: Department | int, on: date | None = None) -> int:
    """The minors of the department in service on `on` (today by default)."""
    department_id = department if isinstance(department, int) else department.pk
    counts = enrolled_counts(Recipient.objects.filter(department_id=department_id), on)
    return counts.get(department_id, 0)


def places_held_counts(qs: QuerySet[Recipient], on: date | None = None) -> dict[int, int]:
    """O36: the places held from `on` on, by department: the minors enrolled on that day and
    those whose approved enrolment begins later (`enrolled_or_pending_q`). One query."""
    return _count_by_department(qs, enrolled_or_pending_q(on or timezone.localdate()))


def free_places(department: Department, on: date | None = None) -> int | None:
    """O36 (table 1.4: a bed for each child for daytime sleep): the department's beds less the
    places held from `on` (today by default) on; negative when it is over its places, None
    when no beds are recorded. One query."""
    if department.beds is None:
        return None
    held = places_held_counts(Recipient.objects.filter(department_id=department.pk), on)
    return department.beds - held.get(department.pk, 0)


def places_warning(department: Department, *, adding: int = 1, on: date | None = None) -> str:
    """The warning shown before enrolling `adding` more minors from `on` (today by default)
    beyond the free places (O36), or "" when there is room (or no beds are recorded)."""
    free = free_places(department, on)
    if free is None or free >= adding:
        return ""
    assert department.beds is not None
    return (
        f"В отделении «{department}» нет свободных мест для дневного сна: занято "
        f"{department.beds - free} из {with_plural(department.beds, 'места', 'мест', 'мест')}. "
        "Зачисление сверх числа мест нужно подтвердить."
    )
