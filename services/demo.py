"""Demo programmes and three weeks of the journal for the enrolled demo recipients.

Does nothing when there are no enrolled recipients (the recipients app creates them). Built
through the real actions; safe to re-run: children with a programme keep it, and the journal
is filled only once (records of the demo carry `source="demo"`).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TextIO

from django.utils import timezone

from organisation import calendar
from organisation.models import Position, User
from recipients.models import Recipient
from services import actions
from services.eligibility import may_receive
from services.models import IndividualProgramme, Per, ProgrammeLine, Service, ServiceRecord

# code, count, per — a typical programme of the day-stay department
PLAN = [
    ("2.3.2", 3, Per.WEEK),  # health gymnastics, at least 3 a week
    ("3.1.1", 1, Per.PERIOD),  # psychological consultation, once per period
    ("4.1.3", 2, Per.WEEK),  # individual correction lesson
    ("7.1.2", 2, Per.WEEK),  # group lesson in self-care skills
    ("4.2.1", 1, Per.MONTH),  # outing, at least monthly
]
DAYS = 21


def load(out: TextIO) -> None:
    today = timezone.localdate()
    children = list(
        Recipient.objects.enrolled_or_pending(today)
        .filter(archived_at__isnull=True)
        .select_related("department")
    )
    if not children:
        out.write("Услуги: нет зачисленных получателей — программы и журнал не созданы\n")
        return
    services = {s.code: s for s in Service.objects.select_related("category", "parent")}
    providers: dict[int, User] = {}
    for user in User.objects.filter(
        is_active=True,
        position__in=[Position.PSYCHOLOGIST, Position.SOCIAL_PEDAGOGUE, Position.PEDAGOGUE],
    ).order_by("position"):
        if user.department_id is not None:
            providers.setdefault(user.department_id, user)
    with_programme = set(
        IndividualProgramme.objects.filter(recipient__in=children).values_list(
            "recipient_id", flat=True
        )
    )
    for child in children:
        provider = providers.get(child.department_id)
        if provider is None or child.pk in with_programme or child.first_day_of_stay is None:
            continue
        programme = actions.draw_up_individual_programme(
            recipient=child,
            drawn_up_by=provider,
            drawn_up_on=child.first_day_of_stay,
            valid_from=child.first_day_of_stay,
            number=f"{child.pk}",
        )
        for code, count, per in PLAN:
            if may_receive(child, services[code], on=today):
                continue  # O32: e.g. category 7 only for limitations of life activity
            actions.plan_service(
                programme=programme,
                service=services[code],
                count=count,
                per=per,
                planned_by=provider,
            )
    if not ServiceRecord.objects.filter(source="demo").exists():
        _journal(children, providers, services, today)
        _refusal_and_urgent_act(children, providers, services, today)
    out.write(
        f"Услуги: программ {IndividualProgramme.objects.count()}, "
        f"записей журнала {ServiceRecord.objects.count()}\n"
    )


def _journal(
    children: list[Recipient],
    providers: dict[int, User],
    services: dict[str, Service],
    today: date,
) -> None:
    """Group sessions on working days of the last three weeks, with a gap or two so that
    the compliance page has something to show."""
    by_dept: dict[int, list[Recipient]] = {}
    for child in children:
        by_dept.setdefault(child.department_id, []).append(child)
    for dept_id, kids in by_dept.items():
        provider = providers.get(dept_id)
        if provider is None:
            continue
        for back in range(DAYS, 0, -1):
            day = today - timedelta(days=back)
            if not calendar.is_working_day(day):
                continue
            present = [k for k in kids if k.is_enrolled_on(day)]
            if not present:
                continue
            weekday = day.weekday()
            sessions = []
            if weekday in (0, 2, 4) and back != 9:  # one gymnastics missed on purpose
                sessions.append(("2.3.2", time(9, 30), 20))
            if weekday in (1, 3):
                sessions.append(("7.1.2", time(11, 0), 40))
            if back == 14:
                sessions.append(("4.2.1", time(14, 0), 120))
            for code, start, minutes in sessions:
                group = [k for k in present if not may_receive(k, services[code], on=day)]
                if not group:
                    continue
                escorts = -(-len(group) // 10)
                actions.log_group_service(
                    recipients=group,
                    service=services[code],
                    provider=provider,
                    date=day,
                    start_time=start,
                    duration_minutes=minutes,
                    escorts=escorts,
                    is_outing=code == "4.2.1",  # the monthly outing (O34)
                    source="demo",
                )
            for i, kid in enumerate(present):
                if (back + i) % 4 == 0:
                    actions.log_service(
                        recipient=kid,
                        service=services["4.1.3"],
                        provider=provider,
                        date=day,
                        start_time=time(12, 0),
                        duration_minutes=40,
                        source="demo",
                    )


def _refusal_and_urgent_act(
    children: list[Recipient], providers: dict[int, User], services: dict, today: date
) -> None:
    """One refusal of a service under the mother's signature (O7) and one urgent services act,
    signed the next day by the representative (O11, O22), so every document has an example."""
    child = next((c for c in children if c.representations.exists()), None)
    provider = providers.get(child.department_id) if child else None
    if child is None or provider is None:
        return
    representative = child.representations.select_related("representative").first()
    signer = representative.representative if representative else None
    line = (
        ProgrammeLine.objects.filter(programme__recipient=child, service__code="4.2.1")
        .order_by("-programme__valid_from")
        .first()
    )
    if line is not None and line.refused_on is None:
        actions.record_refusal(
            line=line,
            signed_on=today - timedelta(days=3),
            recorded_by=provider,
            signed_by=signer,
            reason="семья сама организует посещение выставок по выходным",
        )
    act = actions.draw_up_urgent_act(
        recipient=child,
        provider=provider,
        date=today - timedelta(days=2),
        services=[services["С.1"], services["С.2"]],
        conditions="Ребёнок доставлен сотрудниками полиции вечером, без тёплой одежды; "
        "обеспечен горячим питанием и одеждой по сезону.",
        number="1",
    )
    actions.record_urgent_act_signed(
        act=act, signed_on=today - timedelta(days=1), recorded_by=provider, signed_by=signer
    )
