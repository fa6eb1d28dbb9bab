"""Idempotent journal records: every create form of the journals carries a one-time token and
its view runs once per token, so a form posted twice (double click, back and resend, a retried
request) creates one record."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import resolve, reverse

from consilium import forms as consilium_forms
from organisation.idempotency import ALREADY_SENT, OnceForm
from organisation.qualification_views import QualificationUpgradeForm
from patronage import forms as patronage_forms
from recipients import care_forms
from recipients import forms as recipient_forms
from recipients.models import (
    Belonging,
    CircumstanceChange,
    Hospitalisation,
    Recipient,
    Representative,
)
from rehab_programs import forms as rehab_forms
from services import forms as service_forms
from tests.conftest import login
from tests.forms import form_data
from tests.recipients.factories import child_with_mother

# (URL name, its create form): the journals whose records a double submit would duplicate.
CREATE_FORMS = [
    ("services:log", service_forms.LogServiceForm),
    ("services:log_group", service_forms.LogGroupForm),
    ("services:urgent_act_new", service_forms.UrgentActForm),
    ("services:line_refuse", service_forms.RefusalForm),
    ("services:programme_add_line", service_forms.ProgrammeLineForm),
    ("patronage:appeal_create", patronage_forms.AppealForm),
    ("patronage:visit_plan", patronage_forms.VisitPlanForm),
    ("consilium:meeting_create", consilium_forms.MeetingForm),
    ("consilium:item_add", consilium_forms.AgendaItemForm),
    ("rehab_programs:diagnostic_add", rehab_forms.DiagnosticForm),
    ("rehab_programs:activity_add", rehab_forms.ActivityForm),
    ("recipients:contract_add", recipient_forms.ContractForm),
    ("recipients:consent_add", recipient_forms.ConsentForm),
    ("recipients:document_add", recipient_forms.DocumentForm),
    ("recipients:application_add", recipient_forms.ApplicationForm),
    ("recipients:need_recognition_add", recipient_forms.NeedRecognitionForm),
    ("recipients:circumstance_change_add", recipient_forms.CircumstanceChangeForm),
    ("recipients:familiarisation_add", recipient_forms.FamiliarisationForm),
    ("recipients:belonging_add", recipient_forms.BelongingForm),
    ("recipients:survey_add", recipient_forms.QualitySurveyForm),
    # the audit of «two people at once»: the create forms that still made two records
    ("recipients:create", recipient_forms.NewFamilyForm),  # the registration page's token
    ("recipients:representative_add", recipient_forms.NewRepresentativeForm),
    ("recipients:hospitalisation_add", care_forms.HospitalisationForm),
    ("recipients:information_request_add", care_forms.InformationRequestForm),
    ("recipients:visitor_add", care_forms.VisitorForm),
    ("recipients:items_issue", care_forms.ItemIssueForm),
    ("services:recipient", service_forms.NewProgrammeForm),
    ("rehab_programs:programme_create", rehab_forms.ProgrammeForm),
    ("rehab_programs:change_propose", rehab_forms.ChangeProposalForm),
    ("rehab_programs:conclusion_create", rehab_forms.ConclusionForm),
    ("consilium:composition_set", consilium_forms.CompositionForm),
    ("qualification_add", QualificationUpgradeForm),
]


def _sent_twice(client, user, url: str, **typed: str):  # type: ignore[no-untyped-def]
    """The form at `url` filled as `user` (its one-time token included) and sent twice, as a
    double click sends it: the first is saved (a redirect), the second's answer is returned."""
    data = form_data(login(client, user).get(url).context["form"])
    data.update(typed)
    first = client.post(url, data)
    assert first.status_code == 302, first.context["form"].errors
    return client.post(url, data, follow=True)


def _url(name: str) -> str:
    try:
        return reverse(name)
    except Exception:
        return reverse(name, args=[1])


def _runs_once(view) -> bool:
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and code.co_qualname.startswith("once_per_form."):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.mark.parametrize(("name", "form"), CREATE_FORMS, ids=[n for n, _ in CREATE_FORMS])
def test_every_journal_create_form_is_sent_once(name, form):
    assert issubclass(form, OnceForm), f"{form.__name__} carries no one-time token"
    assert _runs_once(resolve(_url(name)).func), f"{name} is not wrapped in once_per_form"


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_belonging_posted_twice_is_recorded_once(client, specialist, dept_a):
    child, _mother = child_with_mother(dept_a)
    url = reverse("recipients:belonging_add", args=[child.pk])
    second = _sent_twice(
        client, specialist, url, description="Часы наручные", handed_over_on="09.03.2026"
    )
    assert ALREADY_SENT in second.content.decode()
    assert Belonging.objects.filter(recipient=child).count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_circumstance_change_posted_twice_is_recorded_once(client, specialist, dept_a):
    child, _mother = child_with_mother(dept_a)
    url = reverse("recipients:circumstance_change_add", args=[child.pk])
    page = login(client, specialist).get(url)
    data = form_data(page.context["form"])
    data.update(
        reported_on="09.03.2026", reported_by_name="Бабушка", what_changed="Мать сменила работу"
    )
    first = client.post(url, data)
    assert first.status_code == 302, first.context["form"].errors
    client.post(url, data)
    assert CircumstanceChange.objects.filter(recipient=child).count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_an_emergency_hospitalisation_posted_twice_is_recorded_once_O35(client, specialist, dept_a):
    child, _mother = child_with_mother(dept_a)
    url = reverse("recipients:hospitalisation_add", args=[child.pk])
    second = _sent_twice(
        client,
        specialist,
        url,
        hospitalised_on="09.03.2026",
        hospitalised_time="10:30",
        hospital="ДГБ № 1",
    )
    assert ALREADY_SENT in second.content.decode()
    assert Hospitalisation.objects.filter(recipient=child).count() == 1


@pytest.mark.django_db
@time_machine.travel(date(2026, 3, 10))
def test_a_registration_posted_twice_makes_one_child_and_one_family_O26(client, specialist):
    """Without a SNILS the duplicate check (ФИО and birth date) saw nothing of a first request
    still running: a double click registered the child, and a new family, twice."""
    url = reverse("recipients:create")
    page = login(client, specialist).get(url)
    data = {**form_data(page.context["form"]), **form_data(page.context["family_form"])}
    data.update(
        last_name="Дублев",
        first_name="Иван",
        birth_date="20.05.2015",
        sex="male",
        new_family_name="семья Дублевых",
    )
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert ALREADY_SENT in second.content.decode()
    child = Recipient.objects.get(last_name="Дублев")
    assert second.redirect_chain[0][0] == child.get_absolute_url()
    assert Recipient.objects.filter(family=child.family).count() == 1


@pytest.mark.django_db
def test_a_representative_posted_twice_is_added_once(client, specialist, dept_a):
    child, _mother = child_with_mother(dept_a)
    url = reverse("recipients:representative_add", args=[child.pk])
    _sent_twice(
        client,
        specialist,
        url,
        last_name="Дублева",
        first_name="Анна",
        sex="female",
        relation="guardian",
        id_document="паспорт 4510 123456",
    )
    assert Representative.objects.filter(last_name="Дублева").count() == 1
