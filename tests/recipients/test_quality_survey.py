"""Quality assessed by surveys of recipients (O5, §2.5.4)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recipients import actions
from recipients.models import QualitySurvey, Respondent
from tests.factories import RecipientFactory

pytestmark = pytest.mark.django_db

SCORES = {"completeness": 5, "timeliness": 4, "politeness": 5, "conditions": 3}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 2), tick=False):
        yield


def _survey(recipient, user, on=date(2026, 2, 10), **scores):
    return actions.record_quality_survey(
        recipient=recipient,
        recorded_by=user,
        respondent=Respondent.MINOR,
        answered_on=on,
        **{**SCORES, **scores},
    )


def test_survey_form_from_card_records_scores_O5(client, dept_a, specialist):
    child = RecipientFactory(department=dept_a)
    client.force_login(specialist)
    card = client.get(child.get_absolute_url()).content.decode()
    url = reverse("recipients:survey_add", args=[child.pk])
    assert url in card
    response = client.post(
        url, {"respondent": "representative", "answered_on": "01.03.2026", **SCORES}
    )
    assert response.status_code == 302
    survey = QualitySurvey.objects.get()
    assert (survey.recipient, survey.conditions) == (child, 3)
    assert survey.history.count() == 1


def test_survey_bad_input_answered_in_russian_O5(client, dept_a, specialist):
    child = RecipientFactory(department=dept_a)
    client.force_login(specialist)
    url = reverse("recipients:survey_add", args=[child.pk])
    body = client.post(
        url, {"respondent": "minor", "answered_on": "03.03.2026", **SCORES, "timeliness": 7}
    ).content.decode()
    assert "Дата анкетирования не может быть в будущем." in body
    assert "Выберите корректный вариант" in body
    assert not QualitySurvey.objects.exists()
    with pytest.raises(ValidationError):
        _survey(child, specialist, completeness=0)


def test_survey_views_login_scope_method_O5(client, dept_a, specialist, specialist_b):
    child = RecipientFactory(department=dept_a)
    url = reverse("recipients:survey_add", args=[child.pk])
    summary = reverse("recipients:quality_summary")
    assert client.get(url).status_code == 302
    assert client.get(summary).status_code == 302
    client.force_login(specialist_b)
    assert client.get(url).status_code == 404
    assert client.get(summary).status_code == 403
    client.force_login(specialist)
    assert client.delete(url).status_code == 405


def test_summary_head_sees_own_department_averages_O5(
    client, dept_a, dept_b, specialist, specialist_b, head
):
    a1, a2 = RecipientFactory(department=dept_a), RecipientFactory(department=dept_a)
    _survey(a1, specialist, conditions=4)
    _survey(a2, specialist, conditions=2)
    _survey(a2, specialist, on=date(2025, 12, 1), conditions=1)  # outside the period
    _survey(RecipientFactory(department=dept_b), specialist_b, conditions=5)  # other department
    client.force_login(head)
    response = client.get(
        reverse("recipients:quality_summary"), {"date_from": "01.01.2026", "date_to": "02.03.2026"}
    )
    assert response.context["summary"]["count"] == 2
    assert response.context["summary"]["conditions"] == pytest.approx(3.0)
    assert "Анкет: 2" in response.content.decode()
    assert "department" not in response.context["form"].fields


def test_summary_director_chooses_department_O5(
    client, dept_a, dept_b, specialist, specialist_b, director
):
    _survey(RecipientFactory(department=dept_a), specialist, politeness=2)
    _survey(RecipientFactory(department=dept_b), specialist_b, politeness=4)
    client.force_login(director)
    url = reverse("recipients:quality_summary")
    assert client.get(url).context["summary"]["politeness"] == pytest.approx(3.0)
    only_b = client.get(url, {"department": dept_b.pk}).context["summary"]
    assert (only_b["count"], only_b["politeness"]) == (1, pytest.approx(4.0))


def test_summary_period_reversed_answered_in_russian_O5(client, head):
    client.force_login(head)
    response = client.get(
        reverse("recipients:quality_summary"), {"date_from": "02.03.2026", "date_to": "01.01.2026"}
    )
    assert "Конец периода раньше начала." in response.content.decode()


def test_summary_constant_queries_at_5_and_50_surveys_O5(client, dept_a, specialist, head):
    child = RecipientFactory(department=dept_a)
    client.force_login(head)
    url = reverse("recipients:quality_summary")
    counts = []
    for size in (5, 50):
        while QualitySurvey.objects.count() < size:
            _survey(child, specialist)
        client.get(url)  # warm caches (session, user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.context["summary"]["count"] == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
