"""O37: the final diagnostics decides whether ending the service is advisable; the specialists
who carry out the ИПСРН propose changes, which go to the consilium's agenda (§3.4, §3.4.5,
§3.4.7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consilium import actions as consilium_actions
from rehab_programs import actions
from rehab_programs.models import ChangeProposal, Diagnostic, Stage
from tests.rehab_programs.factories import (
    approved_programme,
    diagnostic,
    enrolled_child,
    meeting,
    programme,
)


@pytest.fixture
def child(dept_a):
    return enrolled_child(dept_a, last_name="Орлов", first_name="Артём")


def test_final_diagnostics_must_decide_on_ending_the_service_O37(child, psychologist):
    with pytest.raises(ValidationError) as exc:
        diagnostic(
            child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8), ending_advisable=None
        )
    assert (
        "целесообразно ли прекращать обслуживание" in exc.value.message_dict["ending_advisable"][0]
    )
    d = diagnostic(
        child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8), ending_advisable=False
    )
    assert d.decision_text == "прекращение социального обслуживания нецелесообразно"
    # other stages record no decision
    d = diagnostic(child, psychologist, stage=Stage.INTERMEDIATE, ending_advisable=True)
    assert d.ending_advisable is None


def test_the_diagnostics_form_records_the_decision_O37(client, child, psychologist):
    client.force_login(psychologist)
    url = reverse("rehab_programs:diagnostic_add", args=[child.pk])
    data = {
        "stage": Stage.FINAL,
        "area": "psychological",
        "form": "individual",
        "conducted_on": "08.12.2026",
        "duration_minutes": "40",
        "methods": "Тест Люшера",
        "results": "Тревожность в норме",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "целесообразно ли прекращать обслуживание" in response.content.decode()
    response = client.post(url, {**data, "ending_advisable": "yes"})
    assert response.status_code == 302
    assert Diagnostic.objects.get(stage=Stage.FINAL).ending_advisable is True


def test_only_those_who_carry_out_the_programme_propose_changes_O37(
    child, psychologist, specialist, head, consilium_members
):
    p = approved_programme(child, psychologist, head)
    with pytest.raises(ValidationError) as exc:
        actions.propose_change(
            programme=p, proposed_by=specialist, proposed_on=date(2026, 12, 1), what="x", why="y"
        )
    assert "куратор и ответственные за мероприятия" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        actions.propose_change(
            programme=p, proposed_by=psychologist, proposed_on=date(2026, 12, 1), what="", why=""
        )
    assert set(exc.value.message_dict) == {"what", "why"}
    proposal = actions.propose_change(
        programme=p,
        proposed_by=psychologist,
        proposed_on=date(2026, 12, 1),
        what="Добавить групповые занятия",
        why="Избегает сверстников",
    )
    assert proposal.proposed_by == psychologist


def test_a_proposal_goes_to_the_next_agenda_item_of_the_child_O37(
    client, child, psychologist, head, consilium_members
):
    p = approved_programme(child, psychologist, head)
    client.force_login(psychologist)
    url = reverse("rehab_programs:change_propose", args=[p.pk])
    response = client.post(url, {"proposed_on": "01.12.2026", "what": "Группа", "why": ""})
    assert response.status_code == 200  # the reason is missing; nothing saved
    assert not ChangeProposal.objects.exists()
    client.post(url, {"proposed_on": "01.12.2026", "what": "Групповые занятия", "why": "Пора"})
    proposal = ChangeProposal.objects.get()
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Ждёт повестки консилиума" in page
    m = meeting(head, on=date(2026, 12, 10))
    item = consilium_actions.add_agenda_item(
        meeting=m, recipient=child, inputs="Отчёт куратора", added_by=head
    )
    assert list(item.proposals.all()) == [proposal]
    client.force_login(head)
    page = client.get(m.get_absolute_url()).content.decode()
    assert "предложение Соколов Д. А.: Групповые занятия" in page
    # considered once: the next meeting does not take it again
    later = consilium_actions.add_agenda_item(
        meeting=meeting(head, on=date(2026, 12, 14)), recipient=child, inputs="Отчёт", added_by=head
    )
    assert not later.proposals.exists()


def test_proposals_of_another_department_are_404(client, child, psychologist, specialist_b):
    p = programme(child, psychologist)
    client.force_login(specialist_b)
    assert client.get(reverse("rehab_programs:change_propose", args=[p.pk])).status_code == 404
