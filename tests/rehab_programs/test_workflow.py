"""Diagnostics logged in the journal, the ИПСРН and its versions, O17, the conclusion."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from consilium.models import DecisionKind
from organisation.models import Position
from rehab_programs import actions
from rehab_programs.models import (
    Activity,
    Diagnostic,
    ProgrammeVersion,
    RehabProgramme,
    Stage,
    VersionStatus,
)
from services.models import ServiceRecord
from tests.factories import UserFactory
from tests.rehab_programs.factories import (
    approved_programme,
    decide,
    diagnostic,
    enrolled_child,
    mother_of,
    programme,
)

pytestmark = pytest.mark.django_db


# --- Diagnostics (O15) and the journal of services (P14) -----------------------------------------


@pytest.mark.parametrize(
    ("area", "form", "code", "position"),
    [
        ("psychological", "individual", "3.3.1", Position.PSYCHOLOGIST),
        ("pedagogical", "individual", "4.1.1", Position.SOCIAL_PEDAGOGUE),
        ("social", "individual", "4.1.1", Position.SOCIAL_WORK_SPECIALIST),
        ("medical", "individual", "2.4", Position.NURSE),
    ],
)
def test_a_diagnostic_session_is_logged_as_its_catalogue_service_O15(
    dept_a, area, form, code, position
):
    """The provider of each area is one the catalogue names for its service (O31)."""
    provider = UserFactory(username=f"diag_{position}", position=position, department=dept_a)
    child = enrolled_child(dept_a)
    d = diagnostic(child, provider, area=area, form=form)
    record = ServiceRecord.objects.get(recipient=child)
    assert d.service_record == record
    assert record.service.code == code
    assert record.provider == provider
    assert record.date == date(2026, 9, 3)
    assert record.source == f"rehab_programs.diagnostic:{d.pk}"


def test_a_group_diagnostic_logs_one_group_session_for_every_child_O15(dept_a, psychologist):
    a, b = enrolled_child(dept_a), enrolled_child(dept_a)
    diagnostic(a, psychologist, area="psychological", form="group", participants=[b])
    records = ServiceRecord.objects.filter(service__code="3.3.2")
    assert {r.recipient_id for r in records} == {a.pk, b.pk}
    assert len({r.group_id for r in records}) == 1
    assert Diagnostic.objects.filter(stage=Stage.PRIMARY).count() == 2


def test_a_session_the_journal_refuses_leaves_no_diagnostic_behind(dept_a, psychologist):
    """One transaction: 60 minutes exceed the catalogue's 45 for 3.3.1 (O29)."""
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError) as exc:
        diagnostic(child, psychologist, duration_minutes=60)
    assert "duration_minutes" in exc.value.message_dict
    assert "45" in " ".join(exc.value.message_dict["duration_minutes"])
    assert not Diagnostic.objects.exists()
    assert not ServiceRecord.objects.exists()


def test_a_diagnostic_before_enrolment_is_refused_in_russian(dept_a, psychologist):
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError) as exc:
        diagnostic(child, psychologist, on=date(2026, 8, 20))
    assert exc.value.message_dict["conducted_on"] == [
        "Не зачислен(а) на обслуживание на 20.08.2026."
    ]


def test_a_group_diagnostic_needs_other_children(dept_a, psychologist):
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError) as exc:
        diagnostic(child, psychologist, form="group")
    assert exc.value.message_dict["participants"] == [
        "Для групповой диагностики отметьте других детей группы."
    ]


# --- The programme (O16, O19, O20) ---------------------------------------------------------------


def test_a_programme_needs_the_primary_diagnostics_O16(dept_a, psychologist):
    child = enrolled_child(dept_a)
    with pytest.raises(ValidationError) as exc:
        actions.draw_up_rehab_programme(
            recipient=child,
            drawn_up_by=psychologist,
            drawn_up_on=date(2026, 9, 10),
            curator=psychologist,
        )
    assert "первичной диагностики" in " ".join(exc.value.messages)


def test_the_first_version_takes_effect_only_through_the_consilium_O19_O20(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = programme(child, psychologist, activities=2)
    p = RehabProgramme.objects.get(pk=p.pk)
    assert p.current_version is None
    activity = Activity.objects.filter(programme=p).first()
    assert activity is not None
    with pytest.raises(ValidationError):
        actions.record_activity_result(
            activity=activity,
            actual_result="Сделано",
            done_on=date(2026, 10, 1),
            recorded_by=psychologist,
        )
    decide(head, child, DecisionKind.APPROVE)
    v1 = ProgrammeVersion.objects.get(programme=p, number=1)
    assert v1.status == VersionStatus.APPROVED
    assert v1.protocol_number == "1"
    assert v1.protocol_date == date(2026, 9, 15)


def test_no_approved_version_without_a_protocol_O20(dept_a, psychologist):
    child = enrolled_child(dept_a)
    p = programme(child, psychologist)
    version = ProgrammeVersion.objects.get(programme=p)
    with pytest.raises(ValidationError):
        actions.approve_version(
            version=version, protocol_number="", protocol_date=date(2026, 9, 15)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)


def test_a_revision_proposal_without_its_grounds_is_refused_in_russian_O19(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    with pytest.raises(ValidationError) as exc:
        actions.propose_revision(
            programme=p,
            proposed_by=psychologist,
            proposed_on=date(2026, 12, 1),
            changes="Добавить занятия с логопедом",
            diagnostics=[],
            minor_opinion="",
            parents_survey=" ",
        )
    errors = exc.value.message_dict
    assert "промежуточной диагностики" in errors["diagnostics"][0]
    assert "мнение" in errors["minor_opinion"][0]
    assert "опроса родителей" in errors["parents_survey"][0]
    primary = Diagnostic.objects.get(recipient=child)
    with pytest.raises(ValidationError) as exc:
        actions.propose_revision(
            programme=p,
            proposed_by=psychologist,
            proposed_on=date(2026, 12, 1),
            changes="Добавить занятия",
            diagnostics=[primary],
            minor_opinion="Хочет рисовать",
            parents_survey="Стал спокойнее",
        )
    assert exc.value.message_dict["diagnostics"] == [
        "Выберите промежуточную диагностику этого ребёнка."
    ]


def _revision(child, psychologist, p):
    intermediate = diagnostic(child, psychologist, stage=Stage.INTERMEDIATE, on=date(2026, 11, 30))
    return actions.propose_revision(
        programme=p,
        proposed_by=psychologist,
        proposed_on=date(2026, 12, 1),
        changes="Добавить арт-терапию\nИсключить занятие № 1",
        diagnostics=[intermediate],
        minor_opinion="Хочет рисовать",
        parents_survey="Мама отмечает, что ребёнок стал спокойнее",
    )


def test_a_revision_changes_the_programme_only_when_the_consilium_amends_it_O19_O20(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    old = Activity.objects.get(programme=p)
    version = _revision(child, psychologist, p)
    new = actions.add_activity(
        programme=p,
        added_by=psychologist,
        responsible=psychologist,
        due_on=date(2027, 2, 1),
        description="Арт-терапия",
        expected_result="Выражение эмоций",
    )
    actions.withdraw_activity(activity=old, withdrawn_by=psychologist)
    old.refresh_from_db()
    assert old.is_in_force and not new.is_in_force

    decision = decide(head, child, DecisionKind.AMEND, on=date(2026, 12, 10))
    version.refresh_from_db()
    old.refresh_from_db()
    new.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert version.protocol_text == "протокол № 2 от 10.12.2026"
    assert version.changes_list == ["Добавить арт-терапию", "Исключить занятие № 1"]
    assert decision.changes == version.changes
    assert new.is_in_force and not old.is_in_force
    p = RehabProgramme.objects.get(pk=p.pk)
    assert p.revision_due == date(2027, 3, 10)


def test_activities_are_added_only_to_a_version_waiting_for_the_consilium_O19(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    with pytest.raises(ValidationError) as exc:
        actions.add_activity(
            programme=p,
            added_by=psychologist,
            responsible=psychologist,
            due_on=date(2027, 1, 10),
            description="Новое занятие",
            expected_result="Результат",
        )
    assert "через решение консилиума" in " ".join(exc.value.messages)


def test_the_actual_result_of_an_activity_is_recorded_with_its_date_O20(
    dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    p = approved_programme(child, psychologist, head)
    activity = Activity.objects.get(programme=p)
    with pytest.raises(ValidationError) as exc:
        actions.record_activity_result(
            activity=activity, actual_result="", done_on=date(2027, 1, 1), recorded_by=psychologist
        )
    assert set(exc.value.message_dict) == {"actual_result", "done_on"}
    actions.record_activity_result(
        activity=activity,
        actual_result="Тревожность снижена",
        done_on=date(2026, 11, 2),
        recorded_by=psychologist,
    )
    activity.refresh_from_db()
    assert activity.done_on == date(2026, 11, 2) and not activity.done_late


# --- O17 -----------------------------------------------------------------------------------------


def test_the_parent_is_not_informed_when_it_would_harm_the_minor_O17(dept_a, psychologist):
    child = enrolled_child(dept_a)
    p = programme(child, psychologist)
    with pytest.raises(ValidationError) as exc:
        actions.record_familiarisation(
            programme=p,
            recorded_by=psychologist,
            minor_explained_on=date(2026, 9, 11),
            minor_explanation="Объяснено в беседе",
            parent_info_withheld=True,
            withheld_reason="",
        )
    assert "противоречит интересам" in exc.value.message_dict["withheld_reason"][0]
    with pytest.raises(ValidationError) as exc:
        actions.record_familiarisation(
            programme=p,
            recorded_by=psychologist,
            minor_explained_on=date(2026, 9, 11),
            minor_explanation="Объяснено",
            parent_info_withheld=True,
            withheld_reason="Жестокое обращение со стороны матери",
            parent_familiarised=mother_of(child),
            parent_familiarised_on=date(2026, 9, 11),
        )
    assert "parent_familiarised_on" in exc.value.message_dict
    actions.record_familiarisation(
        programme=p,
        recorded_by=psychologist,
        minor_explained_on=date(2026, 9, 11),
        minor_explanation="Объяснено",
        parent_info_withheld=True,
        withheld_reason="Жестокое обращение со стороны матери",
    )
    p.refresh_from_db()
    assert p.parent_info_withheld and p.parent_familiarised_on is None


def test_the_parents_familiarisation_is_recorded_O17(dept_a, psychologist):
    child = enrolled_child(dept_a)
    p = programme(child, psychologist)
    mother = mother_of(child)
    actions.record_familiarisation(
        programme=p,
        recorded_by=psychologist,
        minor_explained_on=date(2026, 9, 11),
        minor_explanation="Объяснено в беседе, ребёнок согласен",
        parent_info_withheld=False,
        parent_familiarised=mother,
        parent_familiarised_on=date(2026, 9, 12),
    )
    p.refresh_from_db()
    assert p.parent_familiarised == mother


# --- The conclusion (O21, O25) -------------------------------------------------------------------


def test_the_conclusion_rests_on_the_final_diagnostics_O21(dept_a, psychologist):
    child = enrolled_child(dept_a)
    primary = diagnostic(child, psychologist)
    with pytest.raises(ValidationError) as exc:
        actions.draw_up_conclusion(
            recipient=child,
            drawn_up_by=psychologist,
            drawn_up_on=date(2026, 12, 10),
            diagnostics=[primary],
            results="Итоги",
            recommendations="Рекомендации",
        )
    assert exc.value.message_dict["diagnostics"] == ["Выберите итоговую диагностику этого ребёнка."]
    final = diagnostic(child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8))
    c = actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=psychologist,
        drawn_up_on=date(2026, 12, 10),
        diagnostics=[final],
        results="Итоги",
        recommendations="Рекомендации",
    )
    assert list(c.diagnostics.all()) == [final]


def test_the_parents_receipt_of_the_conclusion_is_recorded_O25(dept_a, dept_b, psychologist):
    child = enrolled_child(dept_a)
    stranger = mother_of(enrolled_child(dept_b))
    final = diagnostic(child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8))
    c = actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=psychologist,
        drawn_up_on=date(2026, 12, 10),
        diagnostics=[final],
        results="Итоги",
        recommendations="Рекомендации",
    )
    with pytest.raises(ValidationError) as exc:
        actions.record_conclusion_receipt(
            conclusion=c,
            received_by=stranger,
            received_on=date(2026, 12, 9),
            recorded_by=psychologist,
        )
    assert exc.value.message_dict == {
        "received_by": ["Это не законный представитель ребёнка."],
        "received_on": ["Дата получения раньше даты заключения."],
    }
    actions.record_conclusion_receipt(
        conclusion=c,
        received_by=mother_of(child),
        received_on=date(2026, 12, 11),
        recorded_by=psychologist,
    )
    c.refresh_from_db()
    assert c.is_received
