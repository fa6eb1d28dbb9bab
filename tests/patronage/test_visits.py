"""Visits: planning (P7, P10), the SOP steps and time norms (P8), the document (P9), checking
earlier recommendations (P10), the journal of services (P14)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from patronage import actions, selectors
from patronage.models import (
    Recommendation,
    RecommendationStatus,
    Visit,
    VisitAct,
    VisitKind,
    VisitStatus,
)
from tests.conftest import login
from tests.patronage.factories import (
    case_with_appeal,
    completed_visit,
    housing_act,
    planned_visit,
)

pytestmark = pytest.mark.usefixtures("_today")


@pytest.fixture
def _today():
    with time_machine.travel(date(2026, 3, 20)):
        yield


@pytest.fixture
def case(registrar, head, specialist, dept_a):
    return case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )


def record_data(visit, **kw):
    data = {
        "visit-visited_on": "04.03.2026",
        "visit-purpose": visit.purpose,
        "visit-documents_prepared": "on",
        "visit-contact_established": "on",
        "visit-methods": ["observation", "conversation"],
        "visit-problems": ["economic"],
        "visit-explanation": "Разъяснены права.",
        "visit-effectiveness": "",
        "visit-minutes_preparation": "50",
        "visit-minutes_work": "40",
        "visit-minutes_completion": "10",
        "act-kind": "housing",
        "act-dwelling_type": "apartment",
        "act-ownership": "own",
        "act-area": "42.5",
        "act-rooms": "2",
        "act-amenities": ["electricity", "cold_water"],
        "act-sanitary_state": "good",
        "act-sleeping_place": "Отдельная кровать.",
        "act-study_place": "Письменный стол.",
        "act-conclusion": "Условия удовлетворительные.",
        "rec-TOTAL_FORMS": "3",
        "rec-INITIAL_FORMS": "0",
        "rec-MIN_NUM_FORMS": "0",
        "rec-MAX_NUM_FORMS": "20",
        "rec-0-text": "Оформить полис ОМС.",
        "rec-0-due_on": "20.03.2026",
    }
    data.update(kw)
    return data


def record(client, visit, **kw):
    return client.post(reverse("patronage:visit_record", args=[visit.pk]), record_data(visit, **kw))


def test_specialist_plans_a_primary_visit_P7(client, case, specialist):
    response = login(client, specialist).post(
        reverse("patronage:visit_plan", args=[case.pk]),
        {"kind": "primary", "planned_on": "04.03.2026", "purpose": "", "specialist": specialist.pk},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.status == VisitStatus.PLANNED and visit.planned_on == date(2026, 3, 4)


def test_a_planned_visit_without_a_purpose_is_refused_in_russian_P10(client, case, specialist):
    response = login(client, specialist).post(
        reverse("patronage:visit_plan", args=[case.pk]),
        {
            "kind": "planned",
            "planned_on": "04.03.2026",
            "purpose": " ",
            "specialist": specialist.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "для планового патронажа она обязательна" in response.context["form"].errors["purpose"][0]
    )
    assert not Visit.objects.exists()
    with pytest.raises(ValidationError):
        actions.plan_visit(
            visit=Visit(
                case=case,
                kind=VisitKind.PLANNED,
                specialist=specialist,
                planned_on=date(2026, 3, 4),
            ),
            planned_by=specialist,
        )


def test_a_visit_before_the_appeal_is_refused_in_russian(client, case, specialist):
    response = login(client, specialist).post(
        reverse("patronage:visit_plan", args=[case.pk]),
        {"kind": "primary", "planned_on": "01.03.2026", "specialist": specialist.pk},
    )
    assert (
        "раньше поступления обращения (02.03.2026)"
        in response.context["form"].errors["planned_on"][0]
    )
    visit = planned_visit(case=case, specialist=specialist)
    response = record(client, visit, **{"visit-visited_on": "27.02.2026"})
    assert response.status_code == 400
    assert "раньше поступления обращения" in response.content.decode()
    assert Visit.objects.get().status == VisitStatus.PLANNED


def test_a_completed_visit_in_the_future_is_refused(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[visit.pk]),
        record_data(visit, **{"visit-visited_on": "21.03.2026"}),
    )
    assert response.status_code == 400
    assert "Дата посещения не может быть в будущем." in response.content.decode()


@pytest.mark.parametrize("field", ["minutes_preparation", "minutes_work", "minutes_completion"])
def test_negative_minutes_are_refused_in_russian_P8(client, case, specialist, field):
    visit = planned_visit(case=case, specialist=specialist)
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[visit.pk]),
        record_data(visit, **{f"visit-{field}": "-5"}),
    )
    assert response.status_code == 400
    assert response.context["record_form"].errors[field] == ["Время не может быть отрицательным."]
    assert not VisitAct.objects.exists()


def test_specialist_records_a_visit_with_its_act_and_recommendations_P7_P9(
    client, case, specialist
):
    visit = planned_visit(case=case, specialist=specialist)
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[visit.pk]), record_data(visit)
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED and visit.visited_on == date(2026, 3, 4)
    assert visit.methods == ["observation", "conversation"]
    assert visit.act.kind == "housing" and visit.act.amenities == ["electricity", "cold_water"]
    assert [r.text for r in visit.recommendations.all()] == ["Оформить полис ОМС."]
    assert visit.review_status == "pending"


def test_the_housing_act_needs_its_structure_P9(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[visit.pk]),
        record_data(visit, **{"act-sleeping_place": "", "act-kind": "housing"}),
    )
    assert response.status_code == 400
    assert (
        "Обязательно для акта обследования"
        in response.context["act_form"].errors["sleeping_place"][0]
    )


def test_a_visit_needs_one_of_the_three_documents_P9(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[visit.pk]), record_data(visit, **{"act-kind": ""})
    )
    assert response.status_code == 400
    assert response.context["act_form"].errors["kind"]
    response = client.post(
        reverse("patronage:visit_record", args=[visit.pk]),
        record_data(visit, **{"act-kind": "report", "act-summary": ""}),
    )
    assert "Опишите ход посещения" in response.context["act_form"].errors["summary"][0]


def test_every_completed_visit_has_exactly_one_document_P9(case, specialist):
    visit = completed_visit(case=case, specialist=specialist)
    assert VisitAct.objects.filter(visit=visit).count() == 1
    with pytest.raises(ValidationError):
        actions.complete_visit(visit=visit, completed_by=specialist, act=housing_act())
    assert VisitAct.objects.filter(visit=visit).count() == 1


def test_time_over_the_norms_is_flagged_P8(case, specialist):
    visit = completed_visit(
        case=case,
        specialist=specialist,
        minutes_preparation=75,
        minutes_work=40,
        minutes_completion=12,
    )
    assert visit.time_overruns == [
        "подготовка и путь: 75 мин при норме до 60",
        "завершение: 12 мин при норме до 10",
    ]
    within = completed_visit(case=case, specialist=specialist, on=date(2026, 3, 6))
    assert within.time_overruns == []


def test_overruns_are_shown_on_the_visit_page_P8(client, case, specialist):
    visit = completed_visit(case=case, specialist=specialist, minutes_work=55)
    page = login(client, specialist).get(visit.get_absolute_url()).content.decode()
    assert "сверх нормы: работа с клиентом: 55 мин при норме до 40" in page


def test_a_repeat_visit_checks_the_open_recommendations_P10(client, case, specialist):
    completed_visit(
        case=case, specialist=specialist, recs=["Оформить полис ОМС.", "Посещать школу."]
    )
    first, second = Recommendation.objects.order_by("pk")
    repeat = planned_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 3, 12),
        purpose="Проверить выполнение рекомендаций.",
    )
    login(client, specialist)
    page = client.get(reverse("patronage:visit_record", args=[repeat.pk]))
    assert [f.recommendation for f in page.context["check_forms"]] == [first, second]

    data = record_data(
        repeat,
        **{
            "visit-visited_on": "12.03.2026",
            "visit-effectiveness": "partly",
            "act-kind": "patronage",
            "act-summary": "Беседа с матерью.",
            f"check-{first.pk}-outcome": "fulfilled",
            f"check-{first.pk}-comment": "Полис получен.",
            f"check-{second.pk}-outcome": "partly",
            f"check-{second.pk}-comment": "Два пропуска.",
            "rec-0-text": "",
        },
    )
    response = client.post(reverse("patronage:visit_record", args=[repeat.pk]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RecommendationStatus.FULFILLED
    assert second.status == RecommendationStatus.PARTLY
    repeat.refresh_from_db()
    assert repeat.effectiveness == "partly"
    # The next visit lists only what is still not fulfilled.
    third = planned_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 3, 19),
        purpose="Контроль.",
    )
    assert selectors.open_recommendations(third) == [second]
    # P10: the state is derived from the latest check, in SQL and on the instance alike.
    derived = dict(Recommendation.objects.values_list("pk", "status"))
    assert derived == {first.pk: "fulfilled", second.pk: "partly"}
    assert list(Recommendation.objects.pending()) == [second]
    assert Recommendation.objects.get(pk=second.pk).get_status_display() == "Выполнена частично"


def test_each_open_recommendation_must_be_marked_P10(client, case, specialist):
    completed_visit(case=case, specialist=specialist, recs=["Посещать школу."])
    rec = Recommendation.objects.get()
    repeat = planned_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 3, 12),
        purpose="Проверить.",
    )
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[repeat.pk]),
        record_data(
            repeat, **{"visit-visited_on": "12.03.2026", "visit-effectiveness": "effective"}
        ),
    )
    assert response.status_code == 400
    check_form = response.context["check_forms"][0]
    assert check_form.recommendation == rec
    assert check_form.errors["outcome"] == ["Отметьте, выполнена ли рекомендация."]
    with pytest.raises(ValidationError, match="каждой ранее выданной"):
        repeat.visited_on = date(2026, 3, 12)
        repeat.effectiveness = "effective"
        actions.complete_visit(visit=repeat, completed_by=specialist, act=housing_act())


def test_a_repeat_visit_assesses_effectiveness_P10(client, case, specialist):
    completed_visit(case=case, specialist=specialist)
    repeat = planned_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 3, 12),
        purpose="Проверить.",
    )
    response = login(client, specialist).post(
        reverse("patronage:visit_record", args=[repeat.pk]),
        record_data(repeat, **{"visit-visited_on": "12.03.2026", "visit-effectiveness": ""}),
    )
    assert response.status_code == 400
    assert "Оцените эффективность" in response.context["record_form"].errors["effectiveness"][0]


def test_the_case_page_shows_the_recommendation_history_P10(client, case, specialist):
    completed_visit(case=case, specialist=specialist, recs=["Посещать школу."])
    rec = Recommendation.objects.get()
    completed_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        on=date(2026, 3, 12),
        checks=[actions.CheckResult(rec, "not_fulfilled", "Пропуски продолжаются.")],
    )
    page = login(client, specialist).get(case.get_absolute_url()).content.decode()
    assert "Посещать школу." in page
    assert "12.03.2026: <strong>не выполнена</strong> — Пропуски продолжаются." in page


def test_completion_reaches_the_journal_of_services_once_P14(case, specialist, monkeypatch):
    calls = []
    monkeypatch.setattr(actions, "record_visit_in_services_journal", lambda **kw: calls.append(kw))
    visit = completed_visit(case=case, specialist=specialist)
    assert calls == [{"visit": visit, "recorded_by": specialist}]


def test_a_completed_visit_is_in_the_journal_for_every_child_as_P1_service_P14(case, specialist):
    from services.models import ServiceRecord
    from tests.factories import RecipientFactory

    enrolled = RecipientFactory(
        family=case.family,
        department=case.family.department,
        first_day_of_stay=date(2026, 1, 12),
    )
    not_enrolled = RecipientFactory(family=case.family, department=case.family.department)
    # preparation and travel ran over the SOP's 60 minutes (P8): the visit still counts
    visit = completed_visit(case=case, specialist=specialist, minutes_preparation=80)
    records = ServiceRecord.objects.filter(source=f"patronage.visit:{visit.pk}").order_by(
        "recipient_id"
    )
    assert [
        (r.recipient, r.service.code, r.date, r.duration_minutes, r.provider) for r in records
    ] == [
        (enrolled, "П.1", date(2026, 3, 4), 115, specialist),
        (not_enrolled, "П.1", date(2026, 3, 4), 115, specialist),
    ]


def test_a_corrected_visit_corrects_its_journal_records_P13_P14(case, specialist, head):
    from services.models import ServiceRecord
    from tests.factories import RecipientFactory

    RecipientFactory(family=case.family, department=case.family.department)
    visit = completed_visit(case=case, specialist=specialist)
    actions.review_visit(visit=visit, reviewed_by=head, status="remarks", remarks="Уточните время.")
    visit.refresh_from_db()
    visit.minutes_work = 40
    actions.amend_visit(visit=visit, act=visit.act, amended_by=specialist)
    [record] = ServiceRecord.objects.filter(source=f"patronage.visit:{visit.pk}")
    assert record.duration_minutes == 75


def test_only_the_visiting_specialist_records_the_visit(client, case, specialist, psychologist):
    visit = planned_visit(case=case, specialist=specialist)
    url = reverse("patronage:visit_record", args=[visit.pk])
    assert login(client, psychologist).get(url).status_code == 403
    assert login(client, specialist).get(url).status_code == 200


def test_outsiders_and_readers_cannot_record(client, case, specialist, specialist_b, director):
    visit = planned_visit(case=case, specialist=specialist)
    url = reverse("patronage:visit_record", args=[visit.pk])
    assert login(client, specialist_b).get(url).status_code == 404
    assert login(client, specialist_b).get(visit.get_absolute_url()).status_code == 404
    assert login(client, director).get(url).status_code == 403
    assert login(client, director).get(visit.get_absolute_url()).status_code == 200


def test_visit_views_refuse_wrong_methods(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    login(client, specialist)
    assert client.get(reverse("patronage:visit_cancel", args=[visit.pk])).status_code == 405
    assert client.post(visit.get_absolute_url()).status_code == 405
    assert client.put(reverse("patronage:visit_record", args=[visit.pk])).status_code == 405
    assert client.post(reverse("patronage:visit_act_pdf", args=[visit.pk])).status_code == 405


def test_cancelling_a_planned_visit(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    login(client, specialist).post(reverse("patronage:visit_cancel", args=[visit.pk]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_a_second_submission_does_not_complete_the_visit_twice_P9(case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    stale = Visit.objects.get(pk=visit.pk)  # the same form, submitted twice
    completed_visit_from = Visit.objects.get(pk=visit.pk)
    completed_visit_from.visited_on = date(2026, 3, 4)
    completed_visit_from.methods = ["conversation"]  # P7
    completed_visit_from.minutes_work = 30  # the family's record in the journal (P14)
    actions.complete_visit(visit=completed_visit_from, completed_by=specialist, act=housing_act())
    stale.visited_on = date(2026, 3, 4)
    stale.methods = ["conversation"]
    with pytest.raises(ValidationError, match="уже проведено"):
        actions.complete_visit(visit=stale, completed_by=specialist, act=housing_act())
    assert VisitAct.objects.count() == 1


def test_a_failed_visit_form_lists_every_error_at_the_top_P15(client, case, specialist):
    """On a tablet (P15) the errors below the screen's edge are listed first, each a link."""
    visit = planned_visit(case=case, specialist=specialist)
    login(client, specialist)
    response = record(
        client,
        visit,
        **{
            "visit-visited_on": "31.02.2026",
            "visit-minutes_work": "-1",
            "act-conclusion": "",
            "act-area": "много",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert '<a href="#id_visit-visited_on" class="alert-link">' in page
    assert '<a href="#id_visit-minutes_work" class="alert-link">' in page
    assert '<a href="#id_act-area" class="alert-link">' in page


def test_the_visit_form_keeps_a_draft_on_the_device_and_says_so_P15(client, case, specialist):
    visit = planned_visit(case=case, specialist=specialist)
    page = (
        login(client, specialist)
        .get(reverse("patronage:visit_record", args=[visit.pk]))
        .content.decode()
    )
    assert f'data-draft-key="visit-{visit.pk}"' in page
    assert "сохраняется как черновик на этом устройстве" in page
    record(client, visit)
    detail = client.get(reverse("patronage:visit_detail", args=[visit.pk])).content.decode()
    assert f'data-draft-clear="visit-{visit.pk}"' in detail


def test_a_primary_visit_records_how_the_problem_field_was_defined_P7(case, specialist):
    """P7: «определение проблемного поля … методами»: at least one method is recorded."""
    with pytest.raises(ValidationError) as exc:
        completed_visit(case=case, specialist=specialist, methods=[])
    assert exc.value.message_dict["methods"] == [
        "Отметьте хотя бы один метод, которым определено проблемное поле семьи."
    ]
    assert completed_visit(case=case, specialist=specialist, methods=["observation"]).pk


def test_a_repeat_visit_needs_an_earlier_primary_one_P7(case, specialist):
    """P7 clarification: a planned (repeat) visit presupposes a primary visit of the case."""
    with pytest.raises(ValidationError) as exc:
        planned_visit(
            case=case,
            specialist=specialist,
            kind=VisitKind.PLANNED,
            purpose="Проверка рекомендаций",
        )
    assert "после первичного" in exc.value.message_dict["kind"][0]
    primary = planned_visit(case=case, specialist=specialist, planned_on=date(2026, 3, 10))
    repeat = planned_visit(
        case=case,
        specialist=specialist,
        kind=VisitKind.PLANNED,
        planned_on=date(2026, 3, 5),
        purpose="Проверка рекомендаций",
    )
    # the primary visit is only planned: the repeat one cannot be carried out before it
    repeat.visited_on = date(2026, 3, 5)
    repeat.effectiveness = "partly"
    with pytest.raises(ValidationError) as exc:
        actions.complete_visit(visit=repeat, completed_by=specialist, act=housing_act())
    assert "после первичного" in exc.value.message_dict["__all__"][0]
    assert primary.status == VisitStatus.PLANNED


def test_a_family_with_no_registered_child_still_reaches_the_journal_P14(case, specialist):
    """P14: the journal of services gets the visit even when no child of the family is
    registered: one record of the family, shown in the journal."""
    from services.models import ServiceRecord

    visit = completed_visit(case=case, specialist=specialist)
    [record] = ServiceRecord.objects.filter(source=f"patronage.visit:{visit.pk}")
    assert (record.recipient, record.family, record.service.code, record.date) == (
        None,
        case.family,
        "П.1",
        date(2026, 3, 4),
    )
    assert record.whom == str(case.family)


def test_an_adult_child_of_the_family_gets_no_patronage_record_P14_O33(case, specialist):
    """O33: services end at the 18th birthday; the family record stands in for nobody."""
    from services.models import ServiceRecord
    from tests.factories import RecipientFactory

    minor = RecipientFactory(family=case.family, department=case.family.department)
    RecipientFactory(
        family=case.family, department=case.family.department, birth_date=date(2008, 1, 10)
    )
    visit = completed_visit(case=case, specialist=specialist)
    records = ServiceRecord.objects.filter(source=f"patronage.visit:{visit.pk}")
    assert [r.recipient for r in records] == [minor]


@pytest.mark.parametrize(
    "management",
    [
        {"rec-TOTAL_FORMS": None},  # the management form lost (a page saved and sent again)
        {"rec-TOTAL_FORMS": "много"},
        {"rec-TOTAL_FORMS": "5000"},  # more forms than a visit may have
    ],
)
def test_a_tampered_recommendations_formset_is_refused_with_a_russian_message(
    client, case, specialist, management
):
    """The formset's own errors (its management form, too many forms) are shown above the form
    with the typed values kept; the visit stays planned."""
    visit = planned_visit(case=case, specialist=specialist)
    data = record_data(visit)
    for key, value in management.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    login(client, specialist)
    response = client.post(reverse("patronage:visit_record", args=[visit.pk]), data)
    assert response.status_code == 400
    errors = response.context["rec_formset"].non_form_errors()
    assert errors
    page = response.content.decode()
    for message in errors:
        assert str(message) in page
    assert "Условия удовлетворительные." in page and "Оформить полис ОМС." in page
    assert Visit.objects.get().status == VisitStatus.PLANNED
    # the page carries a count that sends the recommendations next time
    import re

    for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        shown = re.search(rf'name="rec-{field}" value="(\d+)"', page)
        assert shown, field
        data[f"rec-{field}"] = shown.group(1)
    again = client.post(reverse("patronage:visit_record", args=[visit.pk]), data)
    assert again.status_code == 302
    assert list(Recommendation.objects.values_list("text", flat=True)) == ["Оформить полис ОМС."]
