"""Factories of patronage records. Appeals are registered and visits completed through the real
actions where the workflow matters (`registered_appeal`, `completed_visit`)."""

from __future__ import annotations

from datetime import date

import factory

from patronage import actions
from patronage.models import (
    ActKind,
    Appeal,
    AppealGround,
    Channel,
    PatronageCase,
    Visit,
    VisitAct,
    VisitKind,
)
from tests.factories import DepartmentFactory, FamilyFactory


class AppealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appeal

    channel = Channel.RECEPTION
    ground = AppealGround.PERSONAL
    department = factory.SubFactory(DepartmentFactory)
    received_on = date(2026, 3, 2)
    sender = "Смирнова Ольга Ивановна, лично"
    family_name = factory.Sequence(lambda n: f"семья Смирновых-{n}")
    family_address = "г. Белгород, ул. Садовая, д. 1"
    content = "Просит помощи в оформлении пособий."


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatronageCase

    family = factory.SubFactory(FamilyFactory)
    opened_on = date(2026, 3, 2)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    case = factory.SubFactory(CaseFactory)
    kind = VisitKind.PRIMARY
    planned_on = date(2026, 3, 4)


def registered_appeal(
    *, registrar, department, received_on=date(2026, 3, 2), registered_on=None, **kw
):
    appeal = AppealFactory.build(department=department, received_on=received_on, **kw)
    return actions.log_appeal(
        appeal=appeal, logged_by=registrar, registered_on=registered_on or received_on
    )


def case_with_appeal(*, registrar, head, department, specialist=None, received_on=date(2026, 3, 2)):
    appeal = registered_appeal(registrar=registrar, department=department, received_on=received_on)
    family = FamilyFactory(department=department, name="семья Смирновых")
    return actions.open_case(
        appeal=appeal, opened_by=head, family=family, specialist=specialist, opened_on=received_on
    )


def planned_visit(
    *, case, specialist, kind=VisitKind.PRIMARY, planned_on=date(2026, 3, 4), purpose=""
):
    return actions.plan_visit(
        visit=Visit(
            case=case, kind=kind, specialist=specialist, planned_on=planned_on, purpose=purpose
        ),
        planned_by=specialist,
    )


def housing_act(**kw) -> VisitAct:
    data = {
        "kind": ActKind.HOUSING,
        "dwelling_type": "apartment",
        "sanitary_state": "satisfactory",
        "sleeping_place": "Отдельная кровать.",
        "study_place": "Письменный стол.",
        "conclusion": "Условия удовлетворительные.",
    }
    data.update(kw)
    return VisitAct(**data)


def completed_visit(
    *,
    case,
    specialist,
    on=date(2026, 3, 4),
    kind=VisitKind.PRIMARY,
    recs=(),
    checks=(),
    present=(),
    **fields,
):
    act = fields.pop("act", None) or housing_act()
    visit = planned_visit(
        case=case,
        specialist=specialist,
        kind=kind,
        planned_on=on,
        purpose="Проверка рекомендаций" if kind == VisitKind.PLANNED else "",
    )
    visit.visited_on = on
    visit.minutes_preparation = fields.pop("minutes_preparation", 30)
    visit.minutes_work = fields.pop("minutes_work", 30)
    visit.minutes_completion = fields.pop("minutes_completion", 5)
    if kind == VisitKind.PLANNED:
        visit.effectiveness = fields.pop("effectiveness", "partly")
    else:  # P7: a primary visit records how the problem field was defined
        visit.methods = fields.pop("methods", ["conversation", "housing"])
    for k, v in fields.items():
        setattr(visit, k, v)
    return actions.complete_visit(
        visit=visit,
        completed_by=specialist,
        act=act,
        recommendations=[actions.NewRecommendation(t) for t in recs],
        checks=list(checks),
        present_representatives=list(present),
    )
