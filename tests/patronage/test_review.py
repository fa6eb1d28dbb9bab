"""P13: the head reviews the records of completed visits; remarks reach the specialist."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from patronage import actions
from patronage.models import ReviewStatus
from tests.conftest import login
from tests.patronage.factories import case_with_appeal, completed_visit, planned_visit

REVIEW = reverse("patronage:review_list")


@pytest.fixture
def visit(registrar, head, specialist, dept_a):
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    return completed_visit(case=case, specialist=specialist)


def test_head_sees_the_visits_not_yet_reviewed_P13(client, head, visit):
    response = login(client, head).get(REVIEW)
    assert list(response.context["page_obj"]) == [visit]


def test_head_accepts_a_record_and_it_leaves_the_list_P13(client, head, visit):
    login(client, head)
    response = client.post(
        reverse("patronage:visit_review", args=[visit.pk]), {"review_status": "accepted"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.review_status == ReviewStatus.ACCEPTED and visit.reviewed_by == head
    assert list(client.get(REVIEW).context["page_obj"]) == []


def test_remarks_reach_the_specialist_P13(client, head, specialist, visit):
    login(client, head).post(
        reverse("patronage:visit_review", args=[visit.pk]),
        {"review_status": "remarks", "review_remarks": "Не указана цель посещения."},
    )
    page = login(client, specialist).get(reverse("patronage:case_list")).content.decode()
    assert "Замечания заведующего к вашим записям" in page
    assert "Не указана цель посещения." in page
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Не указана цель посещения." in page


def test_remarks_need_a_text_P13(client, head, visit):
    response = login(client, head).post(
        reverse("patronage:visit_review", args=[visit.pk]), {"review_status": "remarks"}
    )
    assert response.status_code == 400
    assert "Напишите замечания для специалиста." in response.content.decode()


def test_a_planned_visit_is_not_reviewed_P13(head, specialist, visit):
    planned = planned_visit(case=visit.case, specialist=specialist, planned_on=date(2026, 3, 9))
    with pytest.raises(ValidationError, match="только проведённые"):
        actions.review_visit(visit=planned, status="accepted", remarks="", reviewed_by=head)


def test_only_the_head_of_the_department_reviews_P13(client, specialist, director, head_b, visit):
    url = reverse("patronage:visit_review", args=[visit.pk])
    assert login(client, specialist).post(url, {"review_status": "accepted"}).status_code == 403
    assert login(client, director).post(url, {"review_status": "accepted"}).status_code == 403
    assert login(client, head_b).post(url, {"review_status": "accepted"}).status_code == 404
    assert list(login(client, head_b).get(REVIEW).context["page_obj"]) == []
    assert login(client, specialist).get(REVIEW).status_code == 403


def test_review_views_refuse_wrong_methods(client, head, visit):
    login(client, head)
    assert client.get(reverse("patronage:visit_review", args=[visit.pk])).status_code == 405
    assert client.post(REVIEW).status_code == 405


def test_the_specialist_corrects_a_record_returned_with_remarks_P13(
    client, head, specialist, psychologist, visit
):
    actions.review_visit(
        visit=visit, status="remarks", remarks="Уточните заключение.", reviewed_by=head
    )
    url = reverse("patronage:visit_amend", args=[visit.pk])
    assert login(client, psychologist).get(url).status_code == 403
    login(client, specialist)
    page = client.get(url)
    assert page.status_code == 200 and "Уточните заключение." in page.content.decode()
    data = {
        "visit-visited_on": "04.03.2026",
        "visit-minutes_preparation": "30",
        "visit-minutes_work": "30",
        "visit-minutes_completion": "5",
        "act-kind": "housing",
        "act-dwelling_type": "apartment",
        "act-sanitary_state": "good",
        "act-sleeping_place": "Отдельная кровать.",
        "act-study_place": "Письменный стол.",
        "act-conclusion": "Условия хорошие, угрозы ребёнку нет.",
    }
    bad = client.post(url, {**data, "visit-minutes_work": "-1"})
    assert bad.status_code == 400
    assert "Время не может быть отрицательным." in bad.content.decode()
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.review_status == ReviewStatus.PENDING
    assert visit.act.conclusion == "Условия хорошие, угрозы ребёнку нет."
    assert visit in login(client, head).get(REVIEW).context["page_obj"]


def test_a_record_accepted_while_its_correction_was_typed_is_kept_and_the_text_shown_P13(
    client, head, specialist, visit
):
    """The head accepts the record while the specialist types the correction: the save is
    refused (not written over the acceptance) and the page shows the typed text again with the
    reason, instead of a redirect that dropped it."""
    from patronage.models import Visit

    actions.review_visit(visit=visit, status="remarks", remarks="Уточните.", reviewed_by=head)
    opened = Visit.objects.get(pk=visit.pk)  # the specialist's page, read with the remarks
    Visit.objects.filter(pk=visit.pk).update(review_status=ReviewStatus.ACCEPTED)
    with pytest.raises(ValidationError, match="возвращённую с замечаниями"):
        actions.amend_visit(visit=opened, act=opened.act, amended_by=specialist)
    assert Visit.objects.get(pk=visit.pk).review_status == ReviewStatus.ACCEPTED

    typed = "Семья переехала, условия проверены заново."
    response = login(client, specialist).post(
        reverse("patronage:visit_amend", args=[visit.pk]),
        {"visit-visited_on": "04.03.2026", "act-kind": "housing", "act-conclusion": typed},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert typed in page and "ваш текст ниже не сохранён" in page
    assert Visit.objects.get(pk=visit.pk).review_status == ReviewStatus.ACCEPTED


def test_an_accepted_record_is_not_amended_P13(client, head, specialist, visit):
    actions.review_visit(visit=visit, status="accepted", remarks="", reviewed_by=head)
    response = login(client, specialist).get(reverse("patronage:visit_amend", args=[visit.pk]))
    assert response.status_code == 302
    with pytest.raises(ValidationError, match="возвращённую с замечаниями"):
        actions.amend_visit(visit=visit, act=visit.act, amended_by=specialist)
