"""Demo recipients: families with representatives in both demo departments, most enrolled
through the real workflow (application → need recognition → contract → the head's draft order
→ the director's approval), a few applicants still missing documents and one returned order.
Loaded by `manage.py load_demo` after organisation/demo.py; safe to re-run."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from orders import actions as order_actions
from orders.models import Order, OrderKind
from organisation.demo import DEPARTMENTS
from organisation.models import Department, Position, User
from recipients import actions
from recipients.models import (
    CHECKLIST,
    Circumstance,
    ContractTerm,
    DocumentKind,
    FamiliarisationKind,
    IdentityDocumentKind,
    ItemKind,
    NoticeMethod,
    Recipient,
    Relation,
    Sex,
    VisitorKind,
)
from recipients.validators import format_snils, snils_checksum

# Family surname (male form, female form, plural), mother's and father's names.
FAMILIES = [
    ("Иванов", "Иванова", "Ивановых", ("Ольга", "Викторовна"), ("Сергей", "Петрович")),
    ("Смирнов", "Смирнова", "Смирновых", ("Елена", "Александровна"), ("Андрей", "Иванович")),
    ("Кузьмин", "Кузьмина", "Кузьминых", ("Татьяна", "Сергеевна"), None),
    ("Попов", "Попова", "Поповых", ("Наталья", "Игоревна"), ("Дмитрий", "Олегович")),
    ("Соловьёв", "Соловьёва", "Соловьёвых", ("Ирина", "Николаевна"), None),
    ("Волков", "Волкова", "Волковых", ("Светлана", "Юрьевна"), ("Алексей", "Викторович")),
    ("Зайцев", "Зайцева", "Зайцевых", ("Анна", "Михайловна"), None),
    ("Белов", "Белова", "Беловых", ("Юлия", "Андреевна"), ("Максим", "Сергеевич")),
    ("Семёнов", "Семёнова", "Семёновых", ("Оксана", "Владимировна"), None),
    ("Голубев", "Голубева", "Голубевых", ("Марина", "Петровна"), ("Павел", "Анатольевич")),
    ("Виноградов", "Виноградова", "Виноградовых", ("Екатерина", "Олеговна"), None),
    ("Богданов", "Богданова", "Богдановых", ("Людмила", "Ивановна"), ("Роман", "Евгеньевич")),
    ("Фёдоров", "Фёдорова", "Фёдоровых", ("Галина", "Сергеевна"), None),
    ("Михайлов", "Михайлова", "Михайловых", ("Валентина", "Алексеевна"), ("Игорь", "Васильевич")),
    ("Никитин", "Никитина", "Никитиных", ("Алёна", "Дмитриевна"), None),
    ("Орлов", "Орлова", "Орловых", ("Вера", "Николаевна"), ("Николай", "Иванович")),
    ("Черных", "Черных", "Черных", ("Дарья", "Романовна"), None),
    ("Шевчук", "Шевчук", "Шевчук", ("Олеся", "Викторовна"), ("Артём", "Игоревич")),
    ("Гусев", "Гусева", "Гусевых", ("Лариса", "Петровна"), None),
    ("Тихонов", "Тихонова", "Тихоновых", ("Надежда", "Сергеевна"), ("Владимир", "Олегович")),
    ("Ковалёв", "Ковалёва", "Ковалёвых", ("Жанна", "Геннадьевна"), None),
    ("Лебедев", "Лебедева", "Лебедевых", ("Маргарита", "Олеговна"), ("Евгений", "Юрьевич")),
]
BOYS = ["Артём", "Максим", "Иван", "Кирилл", "Даниил", "Егор", "Никита", "Матвей", "Тимофей"]
GIRLS = ["Анастасия", "Мария", "Дарья", "София", "Полина", "Виктория", "Алиса", "Ксения", "Ева"]
STREETS = ["ул. Победы", "ул. Щорса", "пр. Славы", "ул. Губкина", "ул. Садовая", "ул. Южная"]
SCHOOLS = ["МБОУ «СОШ № 5»", "МБОУ «Разуменская СОШ № 4»", "МБДОУ «Детский сад № 12»"]
THIRD_PARTY = "ОПДН ОМВД России по Белгородскому району"

# Children without some documents yet, and the family whose order the director returns.
INCOMPLETE = {3: ("medical", "housing_act"), 9: ("contract",), 15: (DocumentKind.OMS_POLICY,)}
RETURNED = 12


def _snils(n: int) -> str:
    digits = f"{3_100_000 + n * 104_729:09d}"
    return format_snils(digits + f"{snils_checksum(digits):02d}")


def _birth_date(today: date, age: int, rnd: random.Random) -> date:
    return today - timedelta(days=age * 365 + rnd.randint(40, 300))


# Patronymics from the father's first name: (son's, daughter's).
PATRONYMICS = {
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Максим": ("Максимович", "Максимовна"),
    "Павел": ("Павлович", "Павловна"),
    "Роман": ("Романович", "Романовна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Николай": ("Николаевич", "Николаевна"),
    "Артём": ("Артёмович", "Артёмовна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Олег": ("Олегович", "Олеговна"),
}


def _health(family: int, child: int) -> tuple[bool, bool, str]:
    """O32: the children of the rehabilitation department (odd families) have a disability or
    limitations of life activity, recorded with the supporting document: (disability,
    limitations, document)."""
    if family % 2 == 0:
        return False, False, ""
    if (family + child) % 3 == 0:
        return True, False, f"справка МСЭ серия МСЭ-2024 № {4_100_000 + family * 37 + child}"
    return False, True, f"заключение ПМПК № {100 + family * 3 + child}"


def _patronymics(father: tuple[str, str] | None, rnd: random.Random) -> tuple[str, str]:
    name = father[0] if father else rnd.choice(["Андрей", "Сергей", "Игорь", "Олег"])
    return PATRONYMICS[name]


def load(out: TextIO) -> None:
    if Recipient.objects.filter(snils=_snils(0)).exists():
        out.write(f"Получатели: {Recipient.objects.count()} (уже загружены)\n")
        return
    rnd = random.Random(2026)
    today = timezone.localdate()
    director = User.objects.get(username="director")
    departments = [Department.objects.get(name=name) for name, _short in DEPARTMENTS.values()]
    heads = {d.pk: User.objects.get(position=Position.HEAD, department=d) for d in departments}
    specialists = {
        d.pk: User.objects.filter(position=Position.SOCIAL_WORK_SPECIALIST, department=d).first()
        or User.objects.filter(department=d, position=Position.DISTRICT_SOCIAL_WORKER).first()
        for d in departments
    }
    n = 0
    to_approve: list[Order] = []
    for i, (male, female, plural, mother, father) in enumerate(FAMILIES):
        dept = departments[i % 2]
        spec, head = specialists[dept.pk], heads[dept.pk]
        assert spec is not None
        house, flat = rnd.randint(1, 90), rnd.randint(1, 120)
        address = f"г. Белгород, {rnd.choice(STREETS)}, д. {house}, кв. {flat}"
        family = actions.create_family(
            department=dept,
            created_by=spec,
            name=f"Семья {plural}",
            address=address,
            phone=f"+7 (910) {rnd.randint(100, 999)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}",
        )
        mum_born = today - timedelta(days=365 * rnd.randint(27, 44))
        children_count = 2 if i % 2 == 0 or i % 5 == 0 else 1
        kids = []
        sons_patronymic, daughters_patronymic = _patronymics(father, rnd)
        for c in range(children_count):
            boy = (i + c) % 2 == 0
            age = rnd.randint(4, 17)
            first = rnd.choice(BOYS if boy else GIRLS)
            kid_patronymic = sons_patronymic if boy else daughters_patronymic
            disability, limitations, health_document = _health(i, c)
            kids.append(
                actions.register_recipient(
                    department=dept,
                    created_by=spec,
                    last_name=male if boy else female,
                    first_name=first,
                    patronymic=kid_patronymic,
                    sex=Sex.MALE if boy else Sex.FEMALE,
                    birth_date=_birth_date(today, age, rnd),
                    snils=_snils(n),
                    identity_document_kind=IdentityDocumentKind.PASSPORT
                    if age >= 14
                    else IdentityDocumentKind.BIRTH_CERTIFICATE,
                    identity_document=(
                        f"14 {rnd.randint(10, 25)} {rnd.randint(100000, 999999)}, УМВД России "
                        "по Белгородской области"
                        if age >= 14
                        else f"II-ЛЕ № {rnd.randint(100000, 999999)}, отдел ЗАГС "
                        "администрации г. Белгорода"
                    ),
                    oms_policy=f"{rnd.randint(10**15, 10**16 - 1)}",
                    address=address,
                    school=rnd.choice(SCHOOLS),
                    circumstances=[rnd.choice(list(Circumstance.values))],
                    family=family,
                    has_disability=disability,
                    has_life_limitations=limitations,
                    health_document=health_document,
                )
            )
            n += 1
        mother_rep = actions.add_representative(
            recipient=kids[0],
            relation=Relation.MOTHER,
            created_by=spec,
            last_name=female,
            first_name=mother[0],
            patronymic=mother[1],
            sex=Sex.FEMALE,
            birth_date=mum_born,
            phone=family.phone,
            address=address,
            id_document=_passport(rnd.randint(10, 22), rnd.randint(100000, 999999)),
        )
        for kid in kids[1:]:
            actions.link_representative(
                recipient=kid, representative=mother_rep, relation=Relation.MOTHER, by=spec
            )
        if father is not None:
            father_rep = actions.add_representative(
                recipient=kids[0],
                relation=Relation.FATHER,
                created_by=spec,
                last_name=male,
                first_name=father[0],
                patronymic=father[1],
                sex=Sex.MALE,
                id_document=_passport(rnd.randint(10, 22), rnd.randint(100000, 999999)),
            )
            for kid in kids[1:]:
                actions.link_representative(
                    recipient=kid, representative=father_rep, relation=Relation.FATHER, by=spec
                )
        applied = today - timedelta(days=rnd.randint(20, 200))
        for k, kid in enumerate(kids):
            order = _enrol(kid, mother_rep, spec, head, director, applied, i if k == 0 else -1, rnd)
            if order is not None:
                to_approve.append(order)
    # The director signs in date order, so the numbers of the year follow the dates.
    for order in sorted(to_approve, key=lambda o: (o.effective_on, o.pk)):
        order_actions.approve_order(order=order, approved_by=director, signed_on=order.effective_on)
    _circumstance_changes(departments, specialists, heads, today)
    _care_records(departments, specialists, today)
    out.write(f"Получатели: {Recipient.objects.count()}, семьи: {len(FAMILIES)}\n")


def _circumstance_changes(departments, specialists, heads, today):  # type: ignore[no-untyped-def]
    """O8: in each department a mother reported a change; the first one is already reviewed."""
    for n, dept in enumerate(departments):
        kid = Recipient.objects.filter(department=dept, family__isnull=False).order_by("pk").first()
        mother = kid.family.representatives.order_by("pk").first() if kid and kid.family else None
        if kid is None or mother is None:
            continue
        change = actions.record_circumstance_change(
            recipient=kid,
            recorded_by=specialists[dept.pk],
            reported_on=today - timedelta(days=6 - 4 * n),
            reported_by=mother,
            what_changed="Мать устроилась на работу; семья переехала к бабушке.",
            revise_circumstances=n == 0,
        )
        if n == 0:
            actions.review_circumstance_change(
                change=change,
                reviewed_by=heads[dept.pk],
                decision="Обстоятельства нуждаемости пересмотреть при продлении договора.",
            )


def _care_records(departments, specialists, today):  # type: ignore[no-untyped-def]
    """O35, O38, O39: in each department an enrolled child has care records; in the first a
    hospitalisation still waits for the notice to the representative."""
    now = timezone.localtime().replace(hour=11, minute=0, second=0, microsecond=0)
    for n, dept in enumerate(departments):
        kid = Recipient.objects.enrolled(today).filter(department=dept).order_by("pk").first()
        if kid is None:
            continue
        spec = specialists[dept.pk]
        link = kid.representations.select_related("representative").first()
        notify = n == 1 and link is not None
        actions.record_hospitalisation(
            recipient=kid,
            recorded_by=spec,
            hospitalised_at=now - timedelta(days=3 + n),
            hospital="ОГБУЗ «Детская областная клиническая больница»",
            reason="острый аппендицит",
            notified=link.representative if notify and link else None,
            notified_at=now - timedelta(days=3 + n) + timedelta(minutes=20) if notify else None,
            notice_method=NoticeMethod.PHONE if notify else "",
        )
        actions.record_visitor(
            recipient=kid,
            recorded_by=spec,
            visitor="Соколова Мария Ивановна",
            kind=VisitorKind.RELATIVE,
            visited_at=now - timedelta(days=2),
            note="бабушка",
        )
        for kind, item, quantity in (
            (ItemKind.CLOTHING, "комплект сменной одежды", 1),
            (ItemKind.HYGIENE, "зубная щётка, паста, мыло", 3),
        ):
            actions.issue_items(
                recipient=kid,
                issued_by=spec,
                kind=kind,
                item=item,
                quantity=quantity,
                issued_on=today - timedelta(days=10),
            )
        request = actions.record_information_request(
            recipient=kid,
            recorded_by=spec,
            requested_on=today - timedelta(days=7),
            requested_by=link.representative.full_name if link else "законный представитель",
            question="О включении центра в реестр рекомендуемых поставщиков социальных услуг",
        )
        if n == 0:
            actions.answer_information_request(
                request=request,
                answered_by=spec,
                answered_on=today - timedelta(days=6),
                answer="Центр включён в реестр поставщиков социальных услуг Белгородской области.",
            )


def _enrol(kid, mother, spec, head, director, applied, i, rnd) -> Order | None:  # type: ignore[no-untyped-def]
    """Consent, application, protocol, contract, documents and the draft order; returns the
    draft the director is to approve, or None while documents are missing or it was returned."""
    skip = INCOMPLETE.get(i, ())
    actions.record_consent(
        recipient=kid,
        recorded_by=spec,
        given_by=mother,
        given_on=applied,
        covers_processing=True,
        third_parties=THIRD_PARTY if i % 2 == 0 else "",
        covers_website=i % 4 == 0,
    )
    age = kid.age_on(applied)
    actions.record_application(
        recipient=kid,
        representative=mother,
        submitted_on=applied,
        recorded_by=spec,
        minor_opinion="Согласен посещать центр, хочет заниматься в кружке." if age >= 10 else "",
    )
    actions.record_need_recognition(
        recipient=kid,
        number=f"{rnd.randint(10, 400)}",
        decided_on=applied + timedelta(days=3),
        issued_by="Управление социальной защиты населения администрации Белгородского района",
        circumstances=kid.circumstances or [Circumstance.ADAPTATION],
        recorded_by=spec,
    )
    if "contract" not in skip:
        actions.conclude_contract(
            recipient=kid,
            representative=mother,
            concluded_on=applied + timedelta(days=5),
            term=ContractTerm.TEMPORARY if i % 3 else ContractTerm.PERMANENT,
            valid_until=applied + timedelta(days=365) if i % 3 else None,
            concluded_by=spec,
        )
    for kind in CHECKLIST:
        if kind in skip:
            continue
        actions.add_document(
            recipient=kid,
            kind=kind,
            received_on=applied,
            added_by=spec,
            certify=not (i == 6 and kind == DocumentKind.SNILS),  # one copy left uncertified
        )
    first_day = applied + timedelta(days=7)
    if skip or i == 6:
        return None  # applicants still collecting documents
    # O12: the child and the mother read the conditions of service and the internal rules.
    actions.record_familiarisation(
        recipient=kid,
        recorded_by=spec,
        kinds=[FamiliarisationKind.SERVICE_ORDER, FamiliarisationKind.INTERNAL_RULES],
        on=applied + timedelta(days=5),
        representative=mother,
    )
    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT, recipient=kid, drafted_by=head, effective_on=first_day
    )
    if i == RETURNED:
        order_actions.return_order(
            order=order,
            returned_by=director,
            reason="Уточните дату первого дня пребывания: в этот день ребёнок на обследовании.",
        )
        return None
    return order


def _passport(year: int, number: int) -> str:
    """A passport as the card records it: series, number, issuer and date of issue."""
    return (
        f"паспорт 14 {year} {number}, выдан УМВД России по Белгородской области "
        f"{1 + number % 28:02d}.{1 + number % 12:02d}.20{year}"
    )
