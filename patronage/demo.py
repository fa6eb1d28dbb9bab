"""Demo data of social patronage, built through the real actions: appeals of every ground and
channel over the last weeks (some registered late, one overdue), cases on families of the demo
departments, visits with their acts and recommendations, some awaiting the head's review.

Idempotent: once the demo appeals exist, nothing is added again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from organisation.models import Department, User
from organisation.text import with_plural
from patronage import actions
from patronage.models import (
    ActKind,
    Amenity,
    Appeal,
    AppealGround,
    Channel,
    DwellingType,
    Effectiveness,
    Method,
    Ownership,
    Problem,
    RecommendationStatus,
    ReviewStatus,
    SanitaryState,
    Visit,
    VisitAct,
    VisitKind,
)
from recipients.models import Family, Recipient, Representative, Sex

# The first demo appeal: when it exists, the demo is loaded.
DEMO_SENDER = "КДН и ЗП администрации г. Белгорода"

# family name, address, children, representative (last, first, patronymic, sex)
FAMILIES = {
    "odp": [
        (
            "семья Смирновых",
            "г. Белгород, ул. Садовая, д. 12, кв. 4",
            [("Смирнов", "Артём", "Игоревич", Sex.MALE, date(2014, 3, 2))],
            ("Смирнова", "Ольга", "Ивановна", Sex.FEMALE),
        ),
        (
            "семья Кравченко",
            "г. Белгород, пр. Ватутина, д. 5, кв. 71",
            [("Кравченко", "Дарья", "Олеговна", Sex.FEMALE, date(2012, 9, 15))],
            ("Кравченко", "Олег", "Викторович", Sex.MALE),
        ),
        (
            "семья Галиевых",
            "пос. Северный, ул. Лесная, д. 3",
            [("Галиев", "Тимур", "Маратович", Sex.MALE, date(2016, 1, 20))],
            ("Галиева", "Алсу", "Ринатовна", Sex.FEMALE),
        ),
    ],
    "orv": [
        (
            "семья Беловых",
            "г. Белгород, ул. Щорса, д. 40, кв. 15",
            [("Белов", "Максим", "Андреевич", Sex.MALE, date(2013, 6, 11))],
            ("Белова", "Екатерина", "Сергеевна", Sex.FEMALE),
        ),
        (
            "семья Орловых",
            "с. Никольское, ул. Центральная, д. 8",
            [("Орлова", "Софья", "Денисовна", Sex.FEMALE, date(2015, 11, 3))],
            ("Орлов", "Денис", "Павлович", Sex.MALE),
        ),
    ],
}


def _families(department: Department, key: str, created_by: User) -> list[Family]:
    """The department's demo families: those the recipients' demo made, or our own."""
    existing = list(Family.objects.filter(department=department, archived_at__isnull=True)[:3])
    if len(existing) >= 2:
        return existing
    families = []
    for name, address, children, rep in FAMILIES[key]:
        family, created = Family.objects.get_or_create(
            name=name,
            department=department,
            defaults={"address": address, "created_by": created_by},
        )
        if created:
            for last, first, middle, sex, born in children:
                Recipient.objects.create(
                    last_name=last,
                    first_name=first,
                    patronymic=middle,
                    sex=sex,
                    birth_date=born,
                    family=family,
                    department=department,
                )
            Representative.objects.create(
                family=family, last_name=rep[0], first_name=rep[1], patronymic=rep[2], sex=rep[3]
            )
        families.append(family)
    return families


def _appeal(
    *,
    registrar: User,
    department: Department,
    family: str,
    address: str,
    ground: str,
    channel: str,
    received: date,
    registered: date | None,
    sender: str,
    content: str,
    outgoing: str = "",
    basis_due: date | None = None,
) -> Appeal:
    appeal = Appeal(
        channel=channel,
        ground=ground,
        department=department,
        received_on=received,
        sender=sender,
        outgoing_number=outgoing,
        outgoing_date=received - timedelta(days=2) if outgoing else None,
        basis_due=basis_due,
        family_name=family,
        family_address=address,
        content=content,
    )
    return actions.log_appeal(appeal=appeal, logged_by=registrar, registered_on=registered)


def _complete(
    visit: Visit,
    *,
    user: User,
    on: date,
    act_kind: str,
    recs: list[str],
    minutes: tuple[int, int, int],
    checks: list[actions.CheckResult] | None = None,
    effectiveness: str = "",
) -> Visit:
    visit.visited_on = on
    visit.documents_prepared = True
    visit.contact_established = True
    visit.methods = [Method.OBSERVATION, Method.CONVERSATION, Method.HOUSING]
    visit.problems = [Problem.PEDAGOGICAL, Problem.ECONOMIC]
    visit.explanation = "Разъяснены права на меры социальной поддержки и порядок их оформления."
    visit.effectiveness = effectiveness
    if effectiveness:
        visit.effectiveness_comment = "Мать выполняет большую часть рекомендаций."
    visit.minutes_preparation, visit.minutes_work, visit.minutes_completion = minutes
    if act_kind == ActKind.HOUSING:
        act = VisitAct(
            kind=act_kind,
            present="ребёнок",
            dwelling_type=DwellingType.APARTMENT,
            ownership=Ownership.SOCIAL_RENT,
            area=42,
            rooms=2,
            amenities=[
                Amenity.ELECTRICITY,
                Amenity.COLD_WATER,
                Amenity.HOT_WATER,
                Amenity.SEWERAGE,
                Amenity.CENTRAL_HEATING,
            ],
            sanitary_state=SanitaryState.SATISFACTORY,
            sleeping_place="Отдельная кровать в комнате с сестрой, постельное бельё чистое.",
            study_place="Письменный стол у окна, настольная лампа.",
            clothing="Одеждой и обувью по сезону обеспечен.",
            food="Продукты питания в наличии, холодильник заполнен.",
            relations="Отношения доброжелательные, мать интересуется учёбой ребёнка.",
            conclusion="Условия для проживания и воспитания ребёнка удовлетворительные.",
        )
    else:
        act = VisitAct(
            kind=act_kind,
            summary="Проведена беседа с матерью о режиме дня ребёнка и посещении школы.",
            conclusion="Семья нуждается в продолжении социального патронажа.",
        )
    return actions.complete_visit(
        visit=visit,
        completed_by=user,
        act=act,
        recommendations=[actions.NewRecommendation(t, on + timedelta(days=14)) for t in recs],
        checks=checks or [],
        # The mother was at home: the first female representative of the family, if any.
        present_representatives=visit.case.family.representatives.filter(sex=Sex.FEMALE)[:1],
    )


def load(out: TextIO) -> None:
    if Appeal.objects.filter(sender=DEMO_SENDER).exists():
        out.write(f"Патронаж: уже загружен ({_appeals(Appeal.objects.count())})\n")
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["registrar", "head1", "head2", "social1", "psych1", "social2"]
        )
    }
    if len(users) < 6:
        out.write("Патронаж: нет демо-сотрудников, пропущено\n")
        return
    today = timezone.localdate()
    registrar = users["registrar"]
    plan = [
        ("odp", "head1", "social1"),
        ("orv", "head2", "social2"),
    ]
    for key, head_name, spec_name in plan:
        head, spec = users[head_name], users[spec_name]
        department = head.department
        assert department is not None
        families = _families(department, key, head)
        d = lambda n: today - timedelta(days=n)  # noqa: E731
        # A petition of a prevention body, registered in time, opens the first case.
        a1 = _appeal(
            registrar=registrar,
            department=department,
            family=families[0].name,
            address=families[0].address,
            ground=AppealGround.PREVENTION_BODY,
            channel=Channel.RECEPTION,
            received=d(27),
            registered=d(26),
            sender=DEMO_SENDER,
            outgoing="01-12/845",
            content="Информация о ненадлежащем исполнении родительских обязанностей.",
        )
        case1 = actions.open_case(
            appeal=a1, opened_by=head, family=families[0], specialist=spec, opened_on=d(26)
        )
        v1 = actions.plan_visit(
            visit=Visit(case=case1, kind=VisitKind.PRIMARY, specialist=spec, planned_on=d(24)),
            planned_by=spec,
        )
        _complete(
            v1,
            user=spec,
            on=d(24),
            act_kind=ActKind.HOUSING,
            minutes=(50, 40, 10),
            recs=["Оформить ребёнку полис ОМС.", "Обеспечить посещение школы без пропусков."],
        )
        actions.review_visit(visit=v1, status=ReviewStatus.ACCEPTED, remarks="", reviewed_by=head)
        v2 = actions.plan_visit(
            visit=Visit(
                case=case1,
                kind=VisitKind.PLANNED,
                specialist=spec,
                planned_on=d(10),
                purpose="Проверить выполнение рекомендаций, беседа о режиме дня.",
            ),
            planned_by=spec,
        )
        first, second = list(case1.recommendations.order_by("pk"))
        _complete(
            v2,
            user=spec,
            on=d(10),
            act_kind=ActKind.PATRONAGE,
            minutes=(70, 45, 10),
            effectiveness=Effectiveness.PARTLY,
            recs=["Записать ребёнка в кружок по интересам."],
            checks=[
                actions.CheckResult(first, RecommendationStatus.FULFILLED, "Полис получен."),
                actions.CheckResult(second, RecommendationStatus.PARTLY, "Два пропуска за месяц."),
            ],
        )
        actions.review_visit(
            visit=v2,
            status=ReviewStatus.REMARKS,
            reviewed_by=head,
            remarks="Время работы с клиентом выше нормы: поясните причину в отчёте.",
        )
        actions.plan_visit(
            visit=Visit(
                case=case1,
                kind=VisitKind.PLANNED,
                specialist=spec,
                planned_on=today + timedelta(days=3),
                purpose="Контроль посещения школы.",
            ),
            planned_by=spec,
        )
        # A personal request, registered late; the first visit came after the 4-day norm.
        a2 = _appeal(
            registrar=registrar,
            department=department,
            family=families[1].name,
            address=families[1].address,
            ground=AppealGround.PERSONAL,
            channel=Channel.RECEPTION,
            received=d(20),
            registered=d(14),
            sender="Отец семьи, лично",
            content="Просит помочь с оформлением пособий.",
        )
        case2 = actions.open_case(
            appeal=a2, opened_by=head, family=families[1], specialist=spec, opened_on=d(14)
        )
        v3 = actions.plan_visit(
            visit=Visit(case=case2, kind=VisitKind.PRIMARY, specialist=spec, planned_on=d(5)),
            planned_by=spec,
        )
        _complete(
            v3,
            user=spec,
            on=d(5),
            act_kind=ActKind.REPORT,
            minutes=(40, 35, 8),
            recs=["Подать заявление на ежемесячное пособие в МФЦ."],
        )
        # Phone calls: a citizen's report (registered), the director's plan, an ИПРА.
        _appeal(
            registrar=registrar,
            department=department,
            family="семья Ковалёвых",
            address="ул. Мичурина, д. 2",
            ground=AppealGround.CITIZEN,
            channel=Channel.PHONE,
            received=d(8),
            registered=d(7),
            sender="Соседка, назвалась Анной",
            content="Сообщает, что дети часто остаются дома одни.",
        )
        _appeal(
            registrar=registrar,
            department=department,
            family="семья Ярцевых",
            address="ул. Королёва, д. 9",
            ground=AppealGround.DIRECTOR_PLAN,
            channel=Channel.RECEPTION,
            received=d(6),
            registered=d(6),
            sender="План мероприятий на IV квартал",
            content="Плановый патронаж семьи.",
        )
        _appeal(
            registrar=registrar,
            department=department,
            family="семья Зайцевых",
            address="ул. Парковая, д. 1",
            ground=AppealGround.IPRA,
            channel=Channel.PHONE,
            received=d(2),
            registered=None,
            sender="Мать ребёнка-инвалида",
            content="Реализация ИПРА: просит консультацию по реабилитации.",
        )
        # Not registered, its term has passed: shown as overdue.
        _appeal(
            registrar=registrar,
            department=department,
            family="семья Гусевых",
            address="",
            ground=AppealGround.PREVENTION_BODY,
            channel=Channel.RECEPTION,
            received=d(12),
            registered=None,
            sender="ПДН ОП № 1 УМВД",
            outgoing="3/1187",
            content="Информационный запрос о семье.",
        )
    out.write(
        f"Патронаж: {_appeals(Appeal.objects.count())}, "
        f"{with_plural(Visit.objects.count(), 'посещение', 'посещения', 'посещений')}\n"
    )


def _appeals(n: int) -> str:
    return with_plural(n, "обращение", "обращения", "обращений")
